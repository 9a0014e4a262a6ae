import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SignatureHelp } from 'vscode-languageserver-types';
import { analyzeDockerfile } from '../../server/src/dockerfile';
import { INSTRUCTIONS } from '../../server/src/service/instructionDocs';
import {
  SIGNATURE_HELP_TRIGGER_CHARACTERS,
  dockerfileSignatureHelp,
} from '../../server/src/service/signatureHelp';

/** `|` marks the cursor. */
function help(source: string): SignatureHelp | null {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'test source needs a | cursor');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const document = TextDocument.create('file:///work/Dockerfile', 'dockerfile', 1, text);
  return dockerfileSignatureHelp(document, analyzeDockerfile(text), document.positionAt(offset));
}

/** The active signature's label and the text of its highlighted parameter ('' when none). */
function active(source: string): { signature: string; parameter: string } {
  const result = help(source);
  assert.ok(result, `signature help for ${JSON.stringify(source)}`);
  const signature = result.signatures[result.activeSignature ?? 0];
  const index = signature.activeParameter ?? result.activeParameter ?? 0;
  const parameter = signature.parameters?.[index];
  if (!parameter) return { signature: signature.label, parameter: '' };
  const label = parameter.label;
  return { signature: signature.label, parameter: typeof label === 'string' ? label : signature.label.slice(label[0], label[1]) };
}

const param = (source: string) => active(source).parameter;

describe('signature help: FROM', () => {
  it('shows the tag and digest forms and follows the cursor', () => {
    const result = help('FROM |');
    assert.ok(result);
    assert.deepEqual(result.signatures.map((signature) => signature.label), [
      'FROM [--platform=<platform>] <image>[:<tag>] [AS <name>]',
      'FROM [--platform=<platform>] <image>[@<digest>] [AS <name>]',
    ]);
    assert.equal(param('FROM |'), '<image>');
    assert.equal(param('FROM alp|'), '<image>');
    assert.equal(param('FROM alpine:3|'), '[:<tag>]');
    assert.equal(param('FROM localhost:5000/app|'), '<image>');
    assert.deepEqual(active('FROM alpine@sha256:|'), {
      signature: 'FROM [--platform=<platform>] <image>[@<digest>] [AS <name>]',
      parameter: '[@<digest>]',
    });
    assert.equal(param('FROM alpine |'), '[AS <name>]');
    assert.equal(param('FROM alpine AS bu|'), '[AS <name>]');
    assert.equal(param('FROM --platform=|'), '[--platform=<platform>]');
    assert.equal(param('FROM --platform=$BUILDPLATFORM |'), '<image>');
  });

  it('documents the parameters', () => {
    const result = help('FROM --platform=|');
    assert.ok(result);
    const platform = result.signatures[0].parameters?.[0];
    assert.ok(platform?.documentation && typeof platform.documentation === 'object');
    assert.match(platform.documentation.value, /BUILDPLATFORM/);
  });
});

describe('signature help: commands', () => {
  it('RUN: shell, exec and heredoc forms, flags', () => {
    assert.deepEqual(active('FROM a\nRUN |'), {
      signature: 'RUN [--mount=<mount>] [--network=<mode>] [--security=<mode>] [--device=<device>] <command>',
      parameter: '<command>',
    });
    assert.equal(param('FROM a\nRUN apt-get install |'), '<command>');
    assert.equal(param('FROM a\nRUN [|'), '"<executable>"');
    assert.equal(param('FROM a\nRUN ["make", |'), '"<param>", ...');
    assert.equal(param('FROM a\nRUN ["a,b", "c"|'), '"<param>", ...');
    assert.match(active('FROM a\nRUN <<EOF|\necho\nEOF\n').signature, /<<<delimiter>$/);
    assert.equal(param('FROM a\nRUN --mount=type=cache,|'), '[--mount=<mount>]');
    assert.equal(param('FROM a\nRUN --network=|'), '[--network=<mode>]');
    assert.equal(param('FROM a\nRUN --mo|'), '[--mount=<mount>]');
    assert.equal(param('FROM a\nRUN --bogus=|'), '');
  });

  it('CMD and ENTRYPOINT pick exec or shell form', () => {
    assert.deepEqual(active('FROM a\nCMD ["nginx", "-g", |]'), { signature: 'CMD ["<executable>", "<param>", ...]', parameter: '"<param>", ...' });
    assert.deepEqual(active('FROM a\nCMD ["ngi|nx"]'), { signature: 'CMD ["<executable>", "<param>", ...]', parameter: '"<executable>"' });
    assert.deepEqual(active('FROM a\nCMD echo |'), { signature: 'CMD <command>', parameter: '<command>' });
    assert.deepEqual(active('FROM a\nENTRYPOINT ["/entry.sh", |'), { signature: 'ENTRYPOINT ["<executable>", "<param>", ...]', parameter: '"<param>", ...' });
    assert.deepEqual(active('FROM a\nENTRYPOINT exec app|'), { signature: 'ENTRYPOINT <command>', parameter: '<command>' });
    const cmd = help('FROM a\nCMD |');
    assert.equal(cmd?.signatures.length, 3);
  });

  it('SHELL', () => {
    assert.equal(param('FROM a\nSHELL ["/bin/bash", |'), '"<param>", ...');
    assert.equal(param('FROM a\nSHELL [|'), '"<executable>"');
  });

  it('HEALTHCHECK: flags, CMD or NONE, then the command', () => {
    assert.equal(param('FROM a\nHEALTHCHECK --interval=|'), '[--interval=<duration>]');
    assert.equal(param('FROM a\nHEALTHCHECK --retries=3 --start-period=|'), '[--start-period=<duration>]');
    assert.equal(param('FROM a\nHEALTHCHECK --interval=5s |'), 'CMD');
    assert.deepEqual(active('FROM a\nHEALTHCHECK N|'), { signature: 'HEALTHCHECK NONE', parameter: 'NONE' });
    assert.equal(param('FROM a\nHEALTHCHECK CMD curl -f |'), '<command>');
  });
});

describe('signature help: files', () => {
  it('COPY: sources, then destination', () => {
    assert.equal(param('FROM a\nCOPY |'), '<src>...');
    assert.equal(param('FROM a\nCOPY src |'), '<dest>');
    assert.equal(param('FROM a\nCOPY a b| /dest/'), '<src>...');
    assert.equal(param('FROM a\nCOPY --from=build |'), '<src>...');
    assert.equal(param('FROM a\nCOPY --chown=|'), '[--chown=<user>:<group>]');
    assert.equal(param('FROM a\nCOPY --link |'), '<src>...');
    assert.equal(param('FROM a\nCOPY ["a b", |'), '"<dest>"');
    assert.equal(param('FROM a\nCOPY ["a b", |, "/dest/"]'), '"<src>", ...');
    assert.equal(param('FROM a\nCOPY <<EOF |\nhi\nEOF\n'), '<dest>');
  });

  it('ADD flags', () => {
    assert.equal(param('FROM a\nADD --checksum=|'), '[--checksum=<hash>]');
    assert.equal(param('FROM a\nADD --keep-git-dir |'), '<src>...');
  });

  it('COPY across continuation lines', () => {
    assert.equal(param('FROM a\nCOPY --from=build \\\n    /out/app \\\n    |'), '<dest>');
    assert.equal(param('FROM a\nCOPY --from=build \\\n    /out/app \\\n\n    |'), '<dest>');
  });
});

describe('signature help: variables and metadata', () => {
  it('ENV: key=value pairs and the legacy form', () => {
    assert.deepEqual(active('FROM a\nENV |'), { signature: 'ENV <key>=<value> ...', parameter: '<key>' });
    assert.equal(param('FROM a\nENV PATH=|'), '<value>');
    assert.equal(param('FROM a\nENV A=1 B|'), '<key>');
    assert.deepEqual(active('FROM a\nENV NAME |'), { signature: 'ENV <key> <value>', parameter: '<value>' });
  });

  it('LABEL, ARG, EXPOSE', () => {
    assert.equal(param('FROM a\nLABEL version=|'), '<value>');
    assert.equal(param('FROM a\nLABEL |'), '<key>');
    assert.equal(param('ARG |'), '<name>');
    assert.equal(param('ARG VERSION=|'), '[=<default>]');
    assert.equal(param('ARG --required |'), '<name>');
    assert.equal(param('ARG --req|'), '[--required]');
    assert.equal(param('FROM a\nEXPOSE 80 |'), '<port>');
    assert.equal(param('FROM a\nEXPOSE 53/|'), '[/<protocol>]');
  });

  it('USER by name or by number', () => {
    assert.deepEqual(active('FROM a\nUSER app:|'), { signature: 'USER <user>[:<group>]', parameter: '[:<group>]' });
    assert.deepEqual(active('FROM a\nUSER 1000:|'), { signature: 'USER <uid>[:<gid>]', parameter: '[:<gid>]' });
    assert.equal(param('FROM a\nUSER |'), '<user>');
  });

  it('VOLUME, WORKDIR, STOPSIGNAL', () => {
    assert.deepEqual(active('FROM a\nVOLUME ["/data", |'), { signature: 'VOLUME ["<path>", ...]', parameter: '"<path>", ...' });
    assert.deepEqual(active('FROM a\nVOLUME /data |'), { signature: 'VOLUME <path> ...', parameter: '<path>' });
    assert.equal(param('FROM a\nWORKDIR |'), '<path>');
    assert.equal(param('FROM a\nSTOPSIGNAL |'), '<signal>');
  });
});

describe('signature help: ONBUILD and edges', () => {
  it('ONBUILD shows its own form, then the trigger instruction', () => {
    assert.deepEqual(active('FROM a\nONBUILD |'), { signature: 'ONBUILD <INSTRUCTION>', parameter: '<INSTRUCTION>' });
    assert.deepEqual(active('FROM a\nONBUILD CO|'), { signature: 'ONBUILD <INSTRUCTION>', parameter: '<INSTRUCTION>' });
    assert.deepEqual(active('FROM a\nONBUILD COPY . |'), {
      signature: 'ONBUILD COPY [--from=<stage>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>] <src>... <dest>',
      parameter: '<dest>',
    });
    assert.equal(param('FROM a\nONBUILD RUN --mount=|'), '[--mount=<mount>]');
  });

  it('nothing on the keyword, outside instructions, in comments, heredoc bodies or unknown instructions', () => {
    assert.equal(help('FR|OM alpine'), null);
    assert.equal(help('FROM| alpine'), null);
    assert.equal(help('FROM a\n|\n'), null);
    assert.equal(help('FROM a\n# RUN |\n'), null);
    assert.equal(help('FROM a\nRUN <<EOF\necho |\nEOF\n'), null);
    assert.equal(help('FROM a\nFOO bar |'), null);
    assert.equal(help('|'), null);
  });

  it('every form of every instruction has parameters that are parts of its label', () => {
    for (const [name, doc] of Object.entries(INSTRUCTIONS)) {
      for (const form of doc.forms) {
        let from = 0;
        for (const parameter of form.parameters) {
          const index = form.label.indexOf(parameter, from);
          assert.ok(index >= 0, `${name}: ${parameter} in ${form.label}`);
          from = index + parameter.length;
        }
      }
    }
  });

  it('parameter offsets always slice the label, and it never throws', () => {
    const sample = 'ARG V=1\nFROM --platform=$BUILDPLATFORM alpine:${V} AS b\nRUN --mount=type=cache,target=/c \\\n  # note\n  make ["x"\nCOPY --from=b ["a", "b"] /c\nONBUILD ONBUILD RUN x\nHEALTHCHECK NONE\nUSER 1:2\nENV A B\nRUN <<EOF\nx\nEOF\nCMD [\n';
    for (let offset = 0; offset <= sample.length; offset++) {
      const result = help(sample.slice(0, offset) + '|' + sample.slice(offset));
      if (!result) continue;
      assert.ok((result.activeSignature ?? 0) < result.signatures.length);
      for (const signature of result.signatures) {
        for (const parameter of signature.parameters ?? []) {
          assert.ok(Array.isArray(parameter.label));
          const [start, end] = parameter.label as [number, number];
          assert.ok(start >= 0 && start <= end && end <= signature.label.length);
        }
      }
    }
  });

  it('exports the trigger characters', () => {
    assert.deepEqual(SIGNATURE_HELP_TRIGGER_CHARACTERS, [' ', '=']);
  });
});
