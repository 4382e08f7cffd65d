import '@hotwired/turbo';
import 'wepay-risk-token';
