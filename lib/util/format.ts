// How numbers read in the app, the admin and job messages: thousands separated, and a count with
// its noun in the right number ("1 vote", "4,803 movies"). Plain functions, safe in the browser.

/** 26660 → "26,660". */
export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

/** A number that may be unknown, as the CLI tables write it: "26,660", or "—". */
export function formatNumberOrDash(n: unknown): string {
  return typeof n === "number" ? formatNumber(n) : "—";
}

/** The noun for `n` things: "vote" for 1, "votes" otherwise (or the `plural` given). */
export function countNoun(n: number, singular: string, plural = `${singular}s`): string {
  return n === 1 ? singular : plural;
}

/** A count and its noun: `formatCount(1, "vote")` → "1 vote", `formatCount(4803, "movie")` → "4,803 movies". */
export function formatCount(n: number, singular: string, plural?: string): string {
  return `${formatNumber(n)} ${countNoun(n, singular, plural)}`;
}

const LONG_DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** A calendar date as TMDB gives it, "2009-12-10" → "December 10, 2009"; anything else as it is. */
export function formatCalendarDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  return date && !Number.isNaN(date.getTime()) && date.getUTCDate() === Number(m![3]) ? LONG_DATE.format(date) : isoDate;
}
