import { CUSTOM_ELEMENTS_SCHEMA, Component, ElementRef, signal, viewChild } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import type { WePayRiskTokenElement } from 'wepay-risk-token';
import { RISK_JS } from './risk-js';

/**
 * A reactive form: Angular cancels the browser's submit and emits `ngSubmit`, and the handler posts with
 * `fetch`, so it asks the element for the token and sends it with the form's value.
 */
@Component({
  selector: 'app-checkout',
  imports: [ReactiveFormsModule],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <form [formGroup]="form" (ngSubmit)="pay()">
      <input formControlName="email" type="email" />
      <wepay-risk-token #risk [src]="riskJs" trigger="manual"></wepay-risk-token>
      <button id="pay">Pay</button>
      <output id="status">{{ status() }}</output>
    </form>
  `,
})
export class FetchSubmitComponent {
  readonly riskJs = RISK_JS;
  readonly form = new FormGroup({ email: new FormControl('shopper@example.com', { nonNullable: true }) });
  readonly status = signal('');
  private readonly risk = viewChild.required<ElementRef<WePayRiskTokenElement>>('risk');

  async pay(): Promise<void> {
    // At once when the token is ready; a failure must not block the order.
    const token = await this.risk()
      .nativeElement.generate()
      .catch(() => '');
    const body = new URLSearchParams({ ...this.form.getRawValue(), wepay_risk_token: token });
    const response = await fetch('/checkout', { method: 'POST', body });
    this.status.set(response.ok ? 'paid' : 'failed');
  }
}
