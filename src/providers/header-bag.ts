export type HeaderBag = Record<string, string | string[] | undefined>;

export function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A header holding Unix seconds, as milliseconds. */
export function epochSecondsHeader(headers: HeaderBag, name: string): number | undefined {
  const value = header(headers, name);
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value) * 1000;
}

/** A header holding seconds from now, as an absolute time. */
export function secondsFromNowHeader(headers: HeaderBag, name: string, now: number): number | undefined {
  const value = header(headers, name);
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return now + Number(value) * 1000;
}
