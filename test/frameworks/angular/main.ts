import 'wepay-risk-token';
import { bootstrapApplication } from '@angular/platform-browser';
import { FetchSubmitComponent } from './fetch-submit.component';
import { NativePostComponent } from './native-post.component';

const cases: Record<string, typeof NativePostComponent | typeof FetchSubmitComponent> = {
  native: NativePostComponent,
  fetch: FetchSubmitComponent,
};
const checkout = cases[new URLSearchParams(location.search).get('case') ?? ''] ?? NativePostComponent;

bootstrapApplication(checkout).catch((error: unknown) => console.error(error));
