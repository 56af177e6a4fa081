// What the account page's forms say next to a field (lib/account/actions.ts), kept apart from the
// actions: a "use server" module may export nothing but its async actions.

// What the account forms say next to a field, as sentences of their own: "Current password must be
// your current password." (the field's label before the API's wording) read badly. Rules a new
// password breaks keep the API's wording, named by the field ("New password must be at least 8
// characters."), as on the sign-up form (lib/validation/sentence.ts).
export const ENTER_CURRENT_PASSWORD = "Enter your current password.";
export const ENTER_NEW_PASSWORD = "Enter a new password.";
export const SAME_PASSWORD = "That is your current password. Choose a different one.";
export const ENTER_PASSWORD = "Enter your password.";
export const ENTER_EMAIL = "Type this account's email address.";
export const NOT_THIS_EMAIL = "That is not this account's email address.";

/**
 * Where deleting an account lands, and the short-lived cookie the deletion sets beside it: home
 * says the account is deleted only to the browser that deleted it, not to anyone given the link.
 */
export const ACCOUNT_DELETED_PATH = "/?account=deleted";
export const ACCOUNT_DELETED_COOKIE = "matinee-account-deleted";
export const ACCOUNT_DELETED_COOKIE_MAX_AGE_S = 60;
