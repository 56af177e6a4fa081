// The API's field messages say what a field must be without naming it ("must be at least 8
// characters", lib/validation/messages.ts), as `details.fields` keys them by name. A form shows
// them next to the field, as a sentence that names it.

// A form may also have its own words for a field, a whole sentence ("That is not your current
// password."), where the label before a rule would read badly; it is shown as it is. The API's
// messages never start with a capital letter (tests/unit/validation/wording.test.ts), so the two
// cannot be confused.

/** "Password" + ["must be at least 8 characters"] → "Password must be at least 8 characters." */
export function fieldSentence(label: string, messages: readonly string[]): string {
  const sentences = messages.filter(isSentence);
  const rules = messages.filter((m) => !isSentence(m));
  return [...(rules.length > 0 ? [`${label} ${rules.join(" and ")}.`] : []), ...sentences].join(" ");
}

/** A message that is a sentence of its own: it starts with a capital letter. */
function isSentence(message: string): boolean {
  return /^\p{Lu}/u.test(message);
}
