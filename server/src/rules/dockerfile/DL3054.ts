import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

/**
 * SPDX license identifiers Berth knows: the licenses met in practice, the
 * deprecated short forms still widely written (`GPL-2.0`, `LGPL-2.1+`), and
 * not the whole SPDX list. Compared case-insensitively, as SPDX asks.
 */
const LICENSE_IDS = `
0BSD AAL AFL-1.1 AFL-1.2 AFL-2.0 AFL-2.1 AFL-3.0 AGPL-1.0 AGPL-1.0-only AGPL-1.0-or-later AGPL-3.0 AGPL-3.0-only AGPL-3.0-or-later
Apache-1.0 Apache-1.1 Apache-2.0 APSL-1.0 APSL-1.1 APSL-1.2 APSL-2.0 Artistic-1.0 Artistic-1.0-Perl Artistic-1.0-cl8 Artistic-2.0
Beerware BitTorrent-1.1 BlueOak-1.0.0 BSD-1-Clause BSD-2-Clause BSD-2-Clause-FreeBSD BSD-2-Clause-NetBSD BSD-2-Clause-Patent
BSD-3-Clause BSD-3-Clause-Attribution BSD-3-Clause-Clear BSD-3-Clause-LBNL BSD-3-Clause-Modification BSD-3-Clause-No-Nuclear-License
BSD-4-Clause BSD-4-Clause-UC BSD-Source-Code BSL-1.0 BUSL-1.1 bzip2-1.0.6 CAL-1.0 CATOSL-1.1
CC-BY-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-3.0 CC-BY-4.0 CC-BY-NC-1.0 CC-BY-NC-2.0 CC-BY-NC-3.0 CC-BY-NC-4.0 CC-BY-NC-ND-3.0 CC-BY-NC-ND-4.0
CC-BY-NC-SA-3.0 CC-BY-NC-SA-4.0 CC-BY-ND-3.0 CC-BY-ND-4.0 CC-BY-SA-2.0 CC-BY-SA-2.5 CC-BY-SA-3.0 CC-BY-SA-4.0 CC-PDDC CC0-1.0
CDDL-1.0 CDDL-1.1 CDLA-Permissive-1.0 CDLA-Permissive-2.0 CDLA-Sharing-1.0 CECILL-1.0 CECILL-1.1 CECILL-2.0 CECILL-2.1 CECILL-B CECILL-C
ClArtistic CNRI-Python CPAL-1.0 CPL-1.0 CUA-OPL-1.0 curl ECL-1.0 ECL-2.0 eCos-2.0 EFL-1.0 EFL-2.0 Elastic-2.0 Entessa EPL-1.0 EPL-2.0
ErlPL-1.1 EUDatagrid EUPL-1.0 EUPL-1.1 EUPL-1.2 Fair Frameworx-1.0 FreeBSD-DOC FSFAP FSFUL FSFULLR FTL
GFDL-1.1 GFDL-1.1-only GFDL-1.1-or-later GFDL-1.2 GFDL-1.2-only GFDL-1.2-or-later GFDL-1.3 GFDL-1.3-only GFDL-1.3-or-later
GPL-1.0 GPL-1.0+ GPL-1.0-only GPL-1.0-or-later GPL-2.0 GPL-2.0+ GPL-2.0-only GPL-2.0-or-later GPL-2.0-with-classpath-exception
GPL-3.0 GPL-3.0+ GPL-3.0-only GPL-3.0-or-later GPL-3.0-with-GCC-exception HPND HPND-sell-variant ICU IJG ImageMagick Info-ZIP
Intel IPA IPL-1.0 ISC JasPer-2.0 JSON LAL-1.2 LAL-1.3 LGPL-2.0 LGPL-2.0+ LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1 LGPL-2.1+
LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0 LGPL-3.0+ LGPL-3.0-only LGPL-3.0-or-later LGPLLR Libpng libpng-2.0 libtiff LiLiQ-P-1.1
LiLiQ-R-1.1 LiLiQ-Rplus-1.1 Linux-OpenIB LPL-1.0 LPL-1.02 LPPL-1.3a LPPL-1.3c MirOS MIT MIT-0 MIT-advertising MIT-CMU MIT-enna
MIT-feh MIT-Modern-Variant MITNFA Motosoto MPL-1.0 MPL-1.1 MPL-2.0 MPL-2.0-no-copyleft-exception MS-PL MS-RL MulanPSL-1.0 MulanPSL-2.0
Multics NASA-1.3 Naumen NCSA NGPL Nokia NPL-1.0 NPL-1.1 NPOSL-3.0 NTP Nunit OCLC-2.0 ODbL-1.0 ODC-By-1.0 OFL-1.0 OFL-1.1 OGL-UK-3.0
OGTSL OLDAP-2.8 OpenSSL OPL-1.0 OSET-PL-2.1 OSL-1.0 OSL-1.1 OSL-2.0 OSL-2.1 OSL-3.0 PDDL-1.0 PHP-3.0 PHP-3.01 PostgreSQL PSF-2.0
Python-2.0 Python-2.0.1 QPL-1.0 RPL-1.1 RPL-1.5 RPSL-1.0 RSCPL Ruby SAX-PD SGI-B-2.0 SimPL-2.0 SISSL SISSL-1.2 Sleepycat SMLNJ
SPL-1.0 SSPL-1.0 StandardML-NJ UCL-1.0 Unicode-3.0 Unicode-DFS-2015 Unicode-DFS-2016 Unicode-TOU Unlicense UPL-1.0 Vim VSL-1.0
W3C W3C-19980720 W3C-20150513 Watcom-1.0 WTFPL wxWindows X11 XFree86-1.1 Xnet YPL-1.1 Zend-2.0 Zimbra-1.4 Zlib zlib-acknowledgement
ZPL-1.1 ZPL-2.0 ZPL-2.1`;

/** License exceptions that may follow WITH. */
const EXCEPTION_IDS = `
389-exception Autoconf-exception-2.0 Autoconf-exception-3.0 Bison-exception-2.2 Bootloader-exception Classpath-exception-2.0
CLISP-exception-2.0 DigiRule-FOSS-exception eCos-exception-2.0 Fawkes-Runtime-exception FLTK-exception Font-exception-2.0
freertos-exception-2.0 GCC-exception-2.0 GCC-exception-3.1 GNAT-exception gnu-javamail-exception GPL-3.0-interface-exception
GPL-3.0-linking-exception GPL-3.0-linking-source-exception GPL-CC-1.0 GStreamer-exception-2005 GStreamer-exception-2008
i2p-gpl-java-exception KiCad-libraries-exception LGPL-3.0-linking-exception Libtool-exception Linux-syscall-note LLVM-exception
LZMA-exception mif-exception OCaml-LGPL-linking-exception OCCT-exception-1.0 OpenJDK-assembly-exception-1.0 openvpn-openssl-exception
PS-or-PDF-font-exception-20170817 Qt-GPL-exception-1.0 Qt-LGPL-exception-1.1 Qwt-exception-1.0 SHL-2.0 SHL-2.1 Swift-exception
u-boot-exception-2.0 Universal-FOSS-exception-1.0 WxWindows-exception-3.1 x11vnc-openssl-exception`;

const lowerSet = (list: string) => new Set(list.split(/\s+/).filter(Boolean).map((id) => id.toLowerCase()));
// Made on first use (the rule runs only with a label schema), not while the server starts.
let licenses: ReadonlySet<string> | undefined;
let exceptions: ReadonlySet<string> | undefined;
const LICENSE_REF = /^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

/**
 * Whether `value` is an SPDX license expression over known identifiers: one
 * identifier (`MIT`), optionally with `+`, a `LicenseRef-…`, or identifiers
 * combined with AND, OR, WITH <exception> and parentheses.
 */
export function isSpdxExpression(value: string): boolean {
  const tokens = value.match(/[()]|[^\s()]+/g) ?? [];
  let at = 0;
  const peekOperator = (name: string) => tokens[at]?.toUpperCase() === name;

  const license = (): boolean => {
    const token = tokens[at];
    if (token === undefined) return false;
    if (token === '(') {
      at++;
      if (!orExpression() || tokens[at] !== ')') return false;
      at++;
      return true;
    }
    if (['AND', 'OR', 'WITH'].includes(token.toUpperCase())) return false;
    at++;
    if (LICENSE_REF.test(token)) return true;
    const id = token.toLowerCase();
    const known = (licenses ??= lowerSet(LICENSE_IDS));
    return known.has(id) || (id.endsWith('+') && known.has(id.slice(0, -1)));
  };
  const withExpression = (): boolean => {
    if (!license()) return false;
    if (!peekOperator('WITH')) return true;
    at++;
    const exception = tokens[at++];
    return exception !== undefined && (exceptions ??= lowerSet(EXCEPTION_IDS)).has(exception.toLowerCase());
  };
  const andExpression = (): boolean => {
    if (!withExpression()) return false;
    while (peekOperator('AND')) {
      at++;
      if (!withExpression()) return false;
    }
    return true;
  };
  const orExpression = (): boolean => {
    if (!andExpression()) return false;
    while (peekOperator('OR')) {
      at++;
      if (!andExpression()) return false;
    }
    return true;
  };
  return tokens.length > 0 && orExpression() && at === tokens.length;
}

export const DL3054: Rule & WithExampleSettings = {
  id: 'DL3054',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is not a valid SPDX license identifier.',
  docs: `Reported only when the label schema gives a label the kind \`spdx\`: its value must name the license with an SPDX identifier (\`MIT\`, \`Apache-2.0\`, \`GPL-3.0-or-later\`), so license scanners can read it without guessing. Berth also accepts SPDX expressions built from identifiers it knows (\`MIT OR Apache-2.0\`, \`GPL-2.0-only WITH Classpath-exception-2.0\`) and \`LicenseRef-…\` for licenses outside the SPDX list; hadolint takes a single identifier only. Berth's list covers the licenses in common use, not every entry of the SPDX list.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="Apache 2.0"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="Proprietary"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="Apache-2.0"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="MIT OR Apache-2.0"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.licenses="LicenseRef-Acme-Commercial"\n',
    ],
  },
  ...checkLabelFormat('spdx', isSpdxExpression, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not a valid SPDX license identifier: '${value}'` })),
};
