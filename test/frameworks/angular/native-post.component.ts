import { CUSTOM_ELEMENTS_SCHEMA, Component } from '@angular/core';
import { RISK_JS } from './risk-js';

/** A plain form post: without FormsModule or ReactiveFormsModule, Angular leaves the form to the browser. */
@Component({
  selector: 'app-checkout',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <form method="post" action="/checkout">
      <wepay-risk-token [src]="riskJs"></wepay-risk-token>
      <button id="pay">Pay</button>
    </form>
  `,
})
export class NativePostComponent {
  readonly riskJs = RISK_JS;
}
