"use client";

import { useEffect, useRef, useState } from "react";
import type { ActionResult } from "./admin-fetch";
import { showAdminNotice } from "./admin-notice";

type Props = {
  /** The first button's text. */
  label: string;
  /** Asked before acting, e.g. "Serve v12 to every user?". */
  question: string;
  /** The confirming button's text, e.g. "Yes, promote v12". */
  confirmLabel: string;
  /** Shown on the confirming button while the action runs. */
  pendingLabel: string;
  /**
   * The button that changes nothing ("Cancel"). Name it otherwise where the action itself stops
   * or cancels something: "Cancel" beside "Yes, stop it" read both ways (QA).
   */
  dismissLabel?: string;
  /**
   * Runs on confirmation; resolves to null when it worked, an error message (shown here, the
   * question stays open to try again), or `{ refused }` for a conflict: the page was refreshed to
   * the real state, so the question closes and the message goes above the page (AdminNotice).
   */
  action: () => Promise<ActionResult>;
  disabled?: boolean;
  title?: string;
  /** Size and shape, shared by the first and the confirming button. */
  shape: string;
  /** The first button's colours. */
  className: string;
  /** "danger" for what cannot be undone. */
  tone?: "normal" | "danger";
  align?: "left" | "right";
  /**
   * The id of the element to focus once the action worked, for an action that takes this button
   * away (a promoted version has no Promote button): e.g. the row's status, so focus does not
   * fall to <body>. Without it (or when that element is missing) focus goes back to the first button.
   */
  focusWhenDone?: string;
};

const confirmClass = {
  normal: "bg-accent text-black ring-accent/40 hover:brightness-110",
  danger: "bg-red-500/80 text-white ring-red-400/40 hover:bg-red-500",
};

/**
 * An admin action that asks once more before it runs: the first click shows the question with
 * a confirming button (focused) and Cancel (or Escape), which puts focus back on the first button.
 */
export function ConfirmButton({ label, question, confirmLabel, pendingLabel, dismissLabel = "Cancel", action, disabled, title, shape, className, tone = "normal", align = "right", focusWhenDone }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const refocusConfirm = useRef(false);

  // Focus goes back to the first button after Cancel, Escape or a done action (when it is still
  // there; else to `focusWhenDone`), and to the confirming button after a failure: disabling it
  // while the action ran took focus away to the page.
  useEffect(() => {
    if (!confirming && returnFocus.current) {
      returnFocus.current = false;
      first.current?.focus();
    }
  }, [confirming]);
  useEffect(() => {
    if (!pending && refocusConfirm.current) {
      refocusConfirm.current = false;
      confirm.current?.focus();
    }
  }, [pending]);

  const cancel = () => {
    returnFocus.current = true;
    setConfirming(false);
  };
  const run = async () => {
    setPending(true);
    setError(null);
    showAdminNotice(null); // an earlier refusal is old news once the admin acts again
    const failure = await action();
    if (typeof failure === "string") {
      refocusConfirm.current = true;
      setError(failure);
    } else if (failure) {
      // the notice takes focus (this question and often this button go away)
      showAdminNotice(failure.refused);
      setConfirming(false);
    } else {
      const target = focusWhenDone ? document.getElementById(focusWhenDone) : null;
      if (target) target.focus();
      else returnFocus.current = true;
      setConfirming(false);
    }
    setPending(false);
  };

  return (
    <div className={align === "right" ? "text-right" : undefined}>
      {confirming ? (
        <div role="group" aria-label={question} onKeyDown={(e) => e.key === "Escape" && !pending && cancel()} className={`inline-flex flex-wrap items-center gap-2 ${align === "right" ? "justify-end" : ""}`}>
          <span className="text-sm text-zinc-300">{question}</span>
          <button ref={confirm} type="button" autoFocus onClick={run} disabled={pending} className={`${shape} ${confirmClass[tone]}`}>
            {pending ? pendingLabel : confirmLabel}
          </button>
          <button type="button" onClick={cancel} disabled={pending} className="text-sm text-zinc-400 hover:text-zinc-100 disabled:opacity-50">
            {dismissLabel}
          </button>
        </div>
      ) : (
        <button ref={first} type="button" onClick={() => setConfirming(true)} disabled={disabled} title={title} className={`${shape} ${className}`}>
          {label}
        </button>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}
