// The gRPC target grammar (https://github.com/grpc/grpc/blob/master/doc/naming.md) plus kuberesolver's
// forms (sercand/kuberesolver builder.go), grpc-spring-boot-starter's `static://a:1,b:2` address lists and
// .NET's http(s) addresses: which resolver a target selects, and which in-cluster host, namespace and port it names.

export type TargetScheme = 'dns' | 'passthrough' | 'kubernetes' | 'http' | 'https' | 'unix' | 'ipv4' | 'ipv6' | 'xds' | 'static' | 'other';

export interface ParsedTarget {
  scheme: TargetScheme;
  /** The scheme as written (`kubernetes` may be a custom name registered with RegisterInClusterWithSchema). */
  schemeText?: string;
  /** True when the target wrote a scheme; false when the client's default applies. */
  explicitScheme: boolean;
  /** DNS authority (`dns://8.8.8.8/host`), ignored for linking. */
  authority?: string;
  host?: string;
  /** Port as written: a number or (kuberesolver) a port name. */
  port?: string;
  /** For Kubernetes names: the Service, the namespace if written. */
  service?: string;
  namespace?: string;
  /** Is the host an IP literal or localhost (never a Service)? */
  literalAddress: boolean;
  /**
   * `static://orders:9090,payments:9090` (grpc-spring-boot-starter): a fixed list, each address resolved once
   * to one IP. host/port/service above are the first address's.
   */
  addresses?: { host: string; port?: string; service?: string; namespace?: string; literalAddress: boolean }[];
}

const KNOWN_SCHEMES = new Set([
  'dns',
  'passthrough',
  'unix',
  'unix-abstract',
  'ipv4',
  'ipv6',
  'xds',
  'static',
  'kubernetes',
  'http',
  'https',
  'vsock',
]);

/**
 * Parse a target. `kubernetesSchemes` are the scheme names registered for kuberesolver (default
 * `kubernetes`). Returns undefined for text that is not a target at all (empty, spaces).
 */
export function parseTarget(raw: string, kubernetesSchemes: ReadonlySet<string> = new Set(['kubernetes'])): ParsedTarget | undefined {
  const text = raw.trim();
  if (!text || /\s/.test(text)) return undefined;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(text);
  const schemeText = m?.[1]?.toLowerCase();
  // `orders:50051` parses like a URL with scheme "orders"; gRPC falls back to the default scheme for
  // unregistered schemes, so only known (or kuberesolver-registered) names count as schemes.
  if (!m || !schemeText || (!KNOWN_SCHEMES.has(schemeText) && !kubernetesSchemes.has(schemeText)) || /^\d+$/.test(m[2]!)) {
    return hostPort(text, { scheme: 'dns', explicitScheme: false, literalAddress: false });
  }
  const rest = m[2]!;
  if (kubernetesSchemes.has(schemeText)) return kuberesolverTarget(schemeText, rest);
  switch (schemeText) {
    case 'unix':
    case 'unix-abstract':
    case 'vsock':
      return { scheme: 'unix', schemeText, explicitScheme: true, literalAddress: true };
    case 'ipv4':
    case 'ipv6':
      return { scheme: schemeText, schemeText, explicitScheme: true, literalAddress: true };
    case 'xds':
      return { scheme: 'xds', schemeText, explicitScheme: true, literalAddress: false };
    case 'http':
    case 'https': {
      const url = rest.replace(/^\/\//, '').replace(/\/.*$/, '');
      return hostPort(url, { scheme: schemeText, schemeText, explicitScheme: true, literalAddress: false });
    }
    default: {
      // dns:[//authority/]host[:port], passthrough:///host:port, static:///a,b
      let authority: string | undefined;
      let endpoint = rest;
      if (rest.startsWith('//')) {
        const slash = rest.indexOf('/', 2);
        authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
        endpoint = slash === -1 ? '' : rest.slice(slash + 1);
      }
      if (schemeText === 'static') return staticList(authority || endpoint);
      const scheme = (schemeText === 'dns' || schemeText === 'passthrough' ? schemeText : 'other') as TargetScheme;
      return hostPort(endpoint, { scheme, schemeText, explicitScheme: true, literalAddress: false, authority: authority || undefined });
    }
  }
}

function staticList(list: string): ParsedTarget {
  const addresses = list
    .split(',')
    .filter((a) => a.trim() !== '')
    .map((a) => {
      const {
        host = '',
        port,
        service,
        namespace,
        literalAddress,
      } = hostPort(a.trim(), { scheme: 'dns', explicitScheme: true, literalAddress: false });
      return { host, port, service, namespace, literalAddress };
    });
  const first = addresses[0];
  const out: ParsedTarget = {
    scheme: 'static',
    schemeText: 'static',
    explicitScheme: true,
    literalAddress: first?.literalAddress ?? true,
    addresses,
  };
  if (first) Object.assign(out, { host: first.host, port: first.port, service: first.service, namespace: first.namespace });
  return out;
}

function hostPort(endpoint: string, base: ParsedTarget): ParsedTarget {
  let host = endpoint;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\w+))?$/.exec(endpoint);
  if (bracket) {
    host = bracket[1]!;
    port = bracket[2];
  } else {
    const colon = endpoint.lastIndexOf(':');
    if (colon !== -1 && endpoint.indexOf(':') === colon) {
      host = endpoint.slice(0, colon);
      port = endpoint.slice(colon + 1) || undefined;
    }
  }
  const out: ParsedTarget = { ...base, host, port };
  out.literalAddress = base.literalAddress || isLiteralAddress(host);
  if (!out.literalAddress && base.scheme !== 'other') Object.assign(out, serviceName(host));
  return out;
}

function isLiteralAddress(host: string): boolean {
  return host === '' || host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host === '0.0.0.0';
}

/** `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` (any cluster domain). Other dotted names are external. */
export function serviceName(host: string): { service?: string; namespace?: string } {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.some((l) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(l))) return {};
  if (labels.length === 1) return { service: labels[0] };
  if (labels.length === 2) return { service: labels[0], namespace: labels[1] };
  if (labels[2] === 'svc') return { service: labels[0], namespace: labels[1] };
  return {};
}

/**
 * kuberesolver: `kubernetes:///svc[.ns][:port]`, `kubernetes://ns/svc:port`, `kubernetes://svc[.ns]:port/`,
 * `kubernetes://svc.ns.svc.cluster:port`. A missing namespace means the client pod's own.
 */
function kuberesolverTarget(schemeText: string, rest: string): ParsedTarget {
  let authority = '';
  let endpoint = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    endpoint = slash === -1 ? '' : rest.slice(slash + 1);
  }
  let namespace: string | undefined;
  let hostport: string;
  if (authority === '') hostport = endpoint;
  else if (authority.includes(':') || endpoint === '') hostport = authority;
  else {
    namespace = authority;
    hostport = endpoint;
  }
  const colon = hostport.lastIndexOf(':');
  const host = colon === -1 ? hostport : hostport.slice(0, colon);
  const port = colon === -1 ? undefined : hostport.slice(colon + 1) || undefined;
  const labels = host.split('.');
  return {
    scheme: 'kubernetes',
    schemeText,
    explicitScheme: true,
    host,
    port,
    service: labels[0] || undefined,
    namespace: namespace ?? labels[1],
    literalAddress: false,
  };
}
