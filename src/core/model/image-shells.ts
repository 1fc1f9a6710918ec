// What a base image's /bin/sh is, and which bash it ships, from the image name and tag alone. The PID 1
// evaluator needs both: whether `sh -c "app"` execs the app depends on the shell (measured, docs/evidence/
// runtime-shells.md and pid1-verdicts.md) and, for bash, on its version:
//   - dash as Debian (and, presumably, Ubuntu) patch it forks even a lone `-c` command; upstream dash execs it.
//   - bash ≥ 5.1 execs the last simple command of a `-c` list; bash 4.4 and 5.0 exec only a lone command or the
//     tail of a top-level `&&`/`||` chain (measured on upstream tags; bash 4.2, RHEL 7 / Amazon Linux 2, is
//     taken to behave as 4.4: the 5.1 CHANGES entry is the first that touches this).
//   - busybox ash execs the last command almost everywhere, but not once a trap is set.
// An image we cannot place is 'unknown': messages say so instead of guessing dash or bash.

/** What `/bin/sh` is in an image. */
export type ShellFlavour = 'dash' | 'bash' | 'busybox' | 'none' | 'unknown';

/** Which bash behaviour applies: '5.1+' execs the tail of a `;` list, '≤5.0' does not, 'unknown' when no bash is known. */
export type BashGeneration = '5.1+' | '≤5.0' | 'unknown';

export interface ImageShells {
  /** /bin/sh. */
  sh: ShellFlavour;
  /** The image's bash (whether or not it is /bin/sh): decides `bash -c` and SHELL ["/bin/bash", "-c"]. */
  bash: BashGeneration;
  /** For messages: "bash 4.4 (RHEL/UBI 8)", "Debian's dash". */
  shLabel: string;
  bashLabel?: string;
}

const DEBIAN_FAMILY = new Set([
  'debian',
  'ubuntu',
  'buildpack-deps',
  'node',
  'python',
  'golang',
  'ruby',
  'php',
  'perl',
  'rust',
  'openjdk',
  'eclipse-temurin',
  'maven',
  'gradle',
  'nginx',
  'httpd',
  'elixir',
  'erlang',
  'haskell',
  'julia',
  'r-base',
  'swift',
  'clojure',
  'groovy',
  'tomcat',
  'jetty',
  'sapmachine',
  'ibm-semeru-runtimes',
  'denoland/deno',
  'oven/bun',
  'postgres',
  'redis',
  'mongo',
  'rabbitmq',
  'mysql',
]);
const RHEL_FAMILY =
  /^(?:centos|fedora|rockylinux|rockylinux\/rockylinux|almalinux|amazonlinux|oraclelinux|amazoncorretto|registry\.access\.redhat\.com\/.*|redhat\/ubi.*|.*\/ubi[0-9].*|quay\.io\/centos\/.*|.*\/azurelinux\/.*|.*\/cbl-mariner\/.*)$/;

/** Debian and Ubuntu releases (codename or version in a tag) whose bash is ≤ 5.0. */
const OLD_DEBIAN = /(?:^|[-_.])(?:stretch|buster|xenial|bionic|focal|16\.04|18\.04|20\.04)(?:$|[-_.])/;

const NONE: ImageShells = { sh: 'none', bash: 'unknown', shLabel: 'no shell' };
const UNKNOWN: ImageShells = { sh: 'unknown', bash: 'unknown', shLabel: 'an unknown /bin/sh' };

/** /bin/sh and bash of a base image, from its name and tag. */
export function shellsOfImage(image: string): ImageShells {
  const repo = imageRepository(image);
  const tag = imageTag(image);
  const name = repo.replace(/^(?:docker\.io\/)?(?:library\/)?/, '');
  if (name === 'scratch') return NONE;
  const busybox = (label: string): ImageShells => ({ sh: 'busybox', bash: 'unknown', shLabel: label });
  if (name.startsWith('gcr.io/distroless/') || name.startsWith('distroless/'))
    return tag.includes('debug') ? busybox('busybox ash (distroless :debug)') : NONE;
  if (/(^|\/)chainguard\//.test(name)) {
    // Chainguard runtime images have no shell; their -dev variants (and wolfi-base, busybox) have busybox.
    if (tag.includes('dev') || /\/(wolfi-base|busybox)$/.test(name)) return busybox('busybox ash (Chainguard)');
    if (name.endsWith('/bash'))
      return { sh: 'busybox', bash: '5.1+', shLabel: 'busybox ash (Chainguard)', bashLabel: 'bash 5 (Chainguard)' };
    return NONE;
  }
  // .NET and Ubuntu "chiseled" images, and Azure Linux / CBL-Mariner distroless ones, ship no shell.
  if (/chisel/.test(tag) || /chisel/.test(name) || /^ubuntu\/(dotnet-deps|dotnet-runtime|dotnet-aspnet|jre)$/.test(name)) return NONE;
  if (/(azurelinux|cbl-mariner)[0-9.]*-distroless/.test(tag) || /\/distroless\//.test(name)) return NONE;
  if (name === 'alpine' || name === 'busybox' || tag.includes('alpine') || name.endsWith('/alpine')) {
    // Alpine's bash package: 5.1 from Alpine 3.13 on.
    const alpine = /^(\d+)\.(\d+)/.exec(name === 'alpine' ? tag : (/alpine(\d+\.\d+)/.exec(tag)?.[1] ?? ''));
    const old = alpine !== null && Number(alpine[1]) === 3 && Number(alpine[2]) < 13;
    return {
      sh: 'busybox',
      bash: old ? '≤5.0' : '5.1+',
      shLabel: 'busybox ash (Alpine)',
      bashLabel: old ? 'bash 5.0 (Alpine < 3.13)' : undefined,
    };
  }
  const rhel = rhelBash(name, tag);
  if (rhel) return { sh: 'bash', bash: rhel.generation, shLabel: rhel.label, bashLabel: rhel.label };
  const debian =
    DEBIAN_FAMILY.has(name) ||
    name.startsWith('mcr.microsoft.com/dotnet/') ||
    /(bookworm|bullseye|buster|stretch|trixie|xenial|bionic|focal|jammy|noble|slim)/.test(tag);
  if (debian) {
    const old =
      OLD_DEBIAN.test(tag) || (name === 'ubuntu' && /^(1[0-9]|20)\./.test(tag)) || (name === 'debian' && /^(9|10)(\.|$)/.test(tag));
    return {
      sh: 'dash',
      bash: old ? '≤5.0' : '5.1+',
      shLabel: name === 'ubuntu' || /(xenial|bionic|focal|jammy|noble)/.test(tag) ? "Ubuntu's dash (patched as Debian's)" : "Debian's dash",
      bashLabel: old ? 'bash ≤ 5.0 (Debian ≤ 10 / Ubuntu ≤ 20.04)' : undefined,
    };
  }
  return UNKNOWN;
}

/** The /bin/sh of a base image (see shellsOfImage). */
export function shellOfImage(image: string): ShellFlavour {
  return shellsOfImage(image).sh;
}

/** bash of the RHEL family (its /bin/sh), by release: RHEL/UBI 8 = 4.4, Amazon Linux 2 and CentOS 7 = 4.2, 9+ and AL2023 ≥ 5.1. */
function rhelBash(name: string, tag: string): { generation: BashGeneration; label: string } | undefined {
  const ubi = /ubi(\d+)/.exec(name) ?? /ubi(\d+)/.exec(tag);
  const release = (n: number, what: string) =>
    n <= 8
      ? { generation: '≤5.0' as const, label: `bash ${n <= 7 ? '4.2' : '4.4'} (${what} ${n})` }
      : { generation: '5.1+' as const, label: `bash ≥ 5.1 (${what} ${n})` };
  if (ubi) return release(Number(ubi[1]), 'RHEL/UBI');
  if (
    /(^|\/)(centos|rockylinux|almalinux|oraclelinux)$/.test(name) ||
    name.startsWith('quay.io/centos/') ||
    name.startsWith('rockylinux/')
  ) {
    const major = /(?:^|stream)(\d+)/.exec(tag);
    return major ? release(Number(major[1]), name.replace(/.*\//, '')) : { generation: 'unknown', label: `bash (${name})` };
  }
  if (name === 'amazonlinux' || name === 'amazoncorretto') {
    // amazonlinux:latest is 2023; amazoncorretto's default tags are Amazon Linux 2.
    if (/al2023|^2023/.test(tag) || (name === 'amazonlinux' && (tag === '' || tag === 'latest')))
      return { generation: '5.1+', label: 'bash 5.2 (Amazon Linux 2023)' };
    if (name === 'amazonlinux' && !/^2(\.|$|-)/.test(tag)) return { generation: 'unknown', label: 'bash (Amazon Linux)' };
    return { generation: '≤5.0', label: 'bash 4.2 (Amazon Linux 2)' };
  }
  if (name === 'fedora') {
    const n = Number(/^(\d+)/.exec(tag)?.[1] ?? NaN);
    return Number.isNaN(n) || n >= 34
      ? { generation: '5.1+', label: 'bash ≥ 5.1 (Fedora)' }
      : { generation: '≤5.0', label: `bash 5.0 (Fedora ${n})` };
  }
  if (/azurelinux/.test(name) || /azurelinux/.test(tag)) return { generation: '5.1+', label: 'bash 5.2 (Azure Linux)' };
  if (/cbl-mariner/.test(name) || /cbl-mariner/.test(tag)) return { generation: '5.1+', label: 'bash 5.1 (CBL-Mariner 2)' };
  if (RHEL_FAMILY.test(name) || /oracle|centos|amazonlinux|al2/.test(tag)) return { generation: 'unknown', label: 'bash (RHEL family)' };
  return undefined;
}

/** `ghcr.io/acme/orders:1.2@sha256:…` → `ghcr.io/acme/orders` (lowercased). */
export function imageRepository(image: string): string {
  let repo = image.trim().split('@')[0]!;
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  if (colon > slash) repo = repo.slice(0, colon);
  return repo.toLowerCase();
}

/** The tag of an image reference, or '' when it has none. */
export function imageTag(image: string): string {
  const repo = image.trim().split('@')[0]!;
  const slash = repo.lastIndexOf('/');
  const colon = repo.lastIndexOf(':');
  return colon > slash ? repo.slice(colon + 1).toLowerCase() : '';
}
