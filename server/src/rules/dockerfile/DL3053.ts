import type { Rule } from '../types';
import { checkLabelFormat, EXAMPLE_LABEL_SCHEMA, EXAMPLE_SCHEMA_DOC, type WithExampleSettings } from './_labels';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time (`2024-05-01T12:30:00Z`, with a fraction or a numeric offset), with real dates and times. */
export function isRfc3339(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1];
  return (
    daysInMonth !== undefined &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 60 && // a leap second
    offsetHour! <= 23 &&
    offsetMinute! <= 59
  );
}

export const DL3053: Rule & WithExampleSettings = {
  id: 'DL3053',
  source: 'hadolint',
  severity: 'warning',
  summary: 'Label `<label>` is not a valid time format - must conform to RFC3339.',
  docs: `Reported only when the label schema gives a label the kind \`rfc3339\`: its value must be an RFC 3339 timestamp such as \`2024-05-01T12:30:00Z\` or \`2024-05-01T14:30:00.5+02:00\` — full date, \`T\`, time with seconds, and a zone. The OCI \`created\` label is defined this way; \`date --rfc-3339=seconds\` or \`date -u +%Y-%m-%dT%H:%M:%SZ\` in the build script produce it.

${EXAMPLE_SCHEMA_DOC}`,
  exampleSettings: { labelSchema: EXAMPLE_LABEL_SCHEMA },
  examples: {
    fire: ['FROM alpine:3.20\nLABEL org.opencontainers.image.created="2024-05-01"\n', 'FROM alpine:3.20\nLABEL org.opencontainers.image.created="2024-02-30T10:00:00Z"\n'],
    pass: [
      'FROM alpine:3.20\nLABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"\n',
      'FROM alpine:3.20\nLABEL org.opencontainers.image.created="2024-05-01T14:30:00.250+02:00"\n',
      'FROM alpine:3.20\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n',
    ],
  },
  ...checkLabelFormat('rfc3339', isRfc3339, ({ key, value, valueRange }) => ({ range: valueRange, message: `Label '${key}' is not an RFC 3339 time: '${value}' (expected e.g. 2024-05-01T12:30:00Z)` })),
};
