// The API's field messages say what a field must be without naming it ("must be at least 8
// characters", lib/validation/messages.ts), as `details.fields` keys them by name. A form shows
// them next to the field, as a sentence that names it.

/** "Password" + ["must be at least 8 characters"] → "Password must be at least 8 characters." */
export function fieldSentence(label: string, messages: readonly string[]): string {
  return `${label} ${messages.join(" and ")}.`;
}
