import 'htmx.org';
import 'wepay-risk-token';
