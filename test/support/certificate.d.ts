/** A self-signed certificate (and its key, PEM) for `hosts`, valid one day, made by `openssl`. */
export function selfSignedCertificate(hosts: string[], subject?: string): Promise<{ key: Buffer; cert: Buffer }>;
