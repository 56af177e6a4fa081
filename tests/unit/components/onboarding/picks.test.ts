import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { OnboardingPicker } from "@/components/onboarding/onboarding-picker";
import { MAX_PICKS, PICK_LIMIT_MESSAGE, togglePick } from "@/components/onboarding/picks";
import { toMovieCard, type MovieCard } from "@/lib/catalog/card";
import { accessibleName } from "../../../helpers/accessible-name";

// Onboarding's picks: the 50-pick limit (past it a click was silently ignored), and the cards'
// markup. (The click that is refused and its announcement: tests/e2e/a11y.spec.ts.)

vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  useRouter: () => ({ refresh: () => {} }),
}));

const film = (id: number): MovieCard =>
  toMovieCard({ id, title: `Film ${id}`, year: 2000, genres: ["Drama"], voteAverage: 7, posterPath: null });
const films = (from: number, n: number) => Array.from({ length: n }, (_, i) => film(from + i));
const picked = (movies: MovieCard[]) => new Map(movies.map((m) => [m.id, m]));

describe("togglePick", () => {
  it("picks and unpicks", () => {
    const one = togglePick(new Map(), film(1));
    expect(one).toEqual({ picks: picked([film(1)]), refused: false });
    expect(togglePick(one.picks, film(1))).toEqual({ picks: new Map(), refused: false });
  });

  it(`refuses a pick past ${MAX_PICKS}, and still unpicks at the limit`, () => {
    const full = picked(films(1, MAX_PICKS));
    const refused = togglePick(full, film(999));
    expect(refused.refused).toBe(true);
    expect([...refused.picks.keys()]).toEqual([...full.keys()]);
    const unpicked = togglePick(full, film(1));
    expect(unpicked.refused).toBe(false);
    expect(unpicked.picks.size).toBe(MAX_PICKS - 1);
    expect(togglePick(unpicked.picks, film(999)).refused).toBe(false);
  });

  it("says what the limit is", () => {
    expect(PICK_LIMIT_MESSAGE).toBe("You can pick up to 50 films. Unpick one to choose another.");
  });
});

function renderPicker(candidates: MovieCard[], initialPicks: MovieCard[]) {
  return renderToStaticMarkup(createElement(OnboardingPicker, { candidates, initialPicks, next: "/", action: async () => ({}) }));
}

/** Each pick button's opening tag, by movie id. */
function pickButtons(html: string): Map<number, string> {
  return new Map([...html.matchAll(/<button [^>]*data-movie-id="(\d+)"[^>]*>/g)].map((m) => [Number(m[1]), m[0]]));
}

describe("the onboarding picker", () => {
  it(`marks the films still unpicked as unavailable at ${MAX_PICKS} picks, and says it is the most`, () => {
    const candidates = films(1, 48);
    const html = renderPicker(candidates, [...candidates.slice(0, 40), ...films(100, MAX_PICKS - 40)]);
    const buttons = pickButtons(html);
    for (const m of candidates.slice(40)) {
      // aria-disabled, not disabled: still a tab stop, and a click is answered
      expect(buttons.get(m.id)).toContain('aria-disabled="true"');
      expect(buttons.get(m.id)).not.toMatch(/ disabled=""/);
      expect(buttons.get(m.id)).toContain('aria-describedby="onboarding-count"');
    }
    for (const m of candidates.slice(0, 40)) expect(buttons.get(m.id)).not.toContain("aria-disabled");
    expect(html).toMatch(/<strong[^>]*>50<\/strong> picked · ready · the most you can pick/);
    // the live region for a refused pick is there before anything is refused (so it is announced)
    expect(html).toMatch(/<p role="status"[^>]*data-testid="onboarding-limit"[^>]*><\/p>/);
  });

  it("leaves every film available below the limit", () => {
    const candidates = films(1, 48);
    const html = renderPicker(candidates, candidates.slice(0, 10));
    expect(html).not.toContain('aria-disabled="true"');
    expect(html).toMatch(/<strong[^>]*>10<\/strong> picked · ready</);
  });

  it("keeps the submit button a tab stop while too few are picked: aria-disabled, described by the count (was: disabled)", () => {
    const candidates = films(1, 48);
    const submit = (html: string) => html.match(/<button type="submit"[^>]*>/)![0];
    const few = submit(renderPicker(candidates, candidates.slice(0, 3)));
    expect(few).toContain('aria-disabled="true"');
    expect(few).toContain('aria-describedby="onboarding-count"');
    expect(few).not.toMatch(/ disabled=""/);
    expect(submit(renderPicker(candidates, candidates.slice(0, 5)))).not.toContain('aria-disabled="true"');
  });

  it("names each pick by its title once: the poster in the button is decorative", () => {
    const html = renderPicker([film(7)], []);
    const button = html.match(/<button [^>]*data-testid="onboarding-pick"[^>]*>[\s\S]*?<\/button>/)![0];
    expect(button).toMatch(/<img [^>]*alt=""/);
    expect(accessibleName(button)).toBe("Film 7 2000 · Drama");
  });
});
