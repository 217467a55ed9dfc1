// Short synthetic free text: model outputs, user edits, reasons and flagged excerpts.
import type {Category, LlmFeature} from "./catalog.js";
import {choice, integer} from "./distributions.js";
import type {Rng} from "./random.js";

const ISSUES: Readonly<Record<Category, readonly string[]>> = {
  billing: [
    "was charged twice for the Team plan",
    "sees an unexpected tax line on the invoice",
    "asks why the card was declined at renewal"
  ],
  refunds: [
    "wants a refund for a damaged order",
    "asks why a refund has not arrived after 10 days",
    "requests a partial refund for a late delivery"
  ],
  shipping: ["reports a package stuck in transit", "asks to change the delivery address", "received the wrong item"],
  "account-access": [
    "is locked out after too many login attempts",
    "no longer receives 2FA codes",
    "cannot reset the password from the email link"
  ],
  "technical-bug": [
    "sees a 500 error when exporting reports",
    "says the mobile app crashes on launch",
    "reports that search returns no results"
  ],
  "multi-step-troubleshooting": [
    "cannot sync the integration after reinstalling and resetting tokens",
    "has intermittent webhook failures across two workspaces",
    "sees SSO loops only on the desktop app behind a proxy"
  ],
  cancellation: [
    "wants to cancel before the renewal date",
    "asks about fees for cancelling mid-term",
    "wants to downgrade instead of cancelling"
  ],
  "product-question": [
    "asks whether the Pro plan includes SSO",
    "wants to know the API rate limits",
    "asks if reports can be scheduled"
  ],
  "data-export-request": [
    "requests a full export of their account data under GDPR",
    "asks for all ticket history as CSV",
    "needs an export of user records for an audit"
  ]
};

const NEXT_STEPS = [
  "Refund issued; customer notified.",
  "Escalated to tier 2.",
  "Sent the help-center article.",
  "Waiting on customer reply.",
  "Resolved on first contact."
];
const REPLY_OPENERS = [
  "Thanks for reaching out!",
  "Sorry about the trouble.",
  "Happy to help with this.",
  "Thanks for your patience."
];
const REPLY_BODIES = [
  "I've looked into your account and",
  "I checked order #{order} and",
  "Our records show that",
  "I can confirm that"
];
const REPLY_ENDINGS = [
  "this is now fixed on our side.",
  "a refund of the duplicate charge is on its way.",
  "you can follow the steps in the article I linked.",
  "our team will follow up within 24 hours."
];
const SUGGESTIONS = [
  "I've escalated this to our billing team.",
  "Could you share your order number?",
  "I've reset your login; please try again.",
  "Your refund should arrive in 5–7 business days.",
  "Let me check that with engineering."
];
const EDIT_ADDITIONS = [
  "Order number added.",
  "Please reply with a screenshot.",
  "Linked the refund policy.",
  "We're sorry for the delay."
];
const EDIT_OPENERS = ["Hi there,", "Hello,", "Good news:"];

const fill = (rng: Rng, text: string): string => text.replace("{order}", String(integer(rng, 10000, 99999)));

export function summaryText(rng: Rng, category: Category): string {
  return `Customer ${choice(rng, ISSUES[category])} (order #${integer(rng, 10000, 99999)}). ${choice(rng, NEXT_STEPS)}`;
}

export function replyText(rng: Rng): string {
  return fill(rng, `${choice(rng, REPLY_OPENERS)} ${choice(rng, REPLY_BODIES)} ${choice(rng, REPLY_ENDINGS)}`);
}

export const suggestionText = (rng: Rng): string => choice(rng, SUGGESTIONS);

export function outputText(rng: Rng, feature: LlmFeature, category: Category): string {
  if (feature === "ticket-summarization") return summaryText(rng, category);
  return feature === "support-chat" ? replyText(rng) : suggestionText(rng);
}

const CUSTOMER_FOLLOW_UPS = [
  "I already tried the help-center steps.",
  "This is the second time I'm writing about it.",
  "Please fix this today, my team is blocked.",
  "Can someone call me back?"
];

/** An eval case's input (its start, naming the input's full length: the long-input story turns on
 * it; the file keeps only this start, as an export's excerpt would) and expected output, both about
 * the same ticket. */
export function evalCaseTexts(
  rng: Rng,
  feature: LlmFeature,
  category: Category,
  inputChars: number
): {input: string; expected: string} {
  const issue = choice(rng, ISSUES[category]);
  const order = integer(rng, 10000, 99999);
  const followUp = choice(rng, CUSTOMER_FOLLOW_UPS);
  if (feature === "ticket-summarization")
    return {
      input: `Ticket thread, ${inputChars} characters. Customer ${issue} (order #${order}). ${followUp} …`,
      expected: `Customer ${issue} (order #${order}). ${choice(rng, NEXT_STEPS)}`
    };
  if (feature === "support-chat")
    return {input: `Customer ${issue} (order #${order}). ${followUp}`, expected: replyText(rng)};
  return {
    input: `Reply draft to a customer who ${issue}: "${choice(rng, REPLY_OPENERS)} …"`,
    expected: suggestionText(rng)
  };
}

export function editedText(rng: Rng, original: string): string {
  const op = integer(rng, 0, 2);
  if (op === 0) return `${original} ${choice(rng, EDIT_ADDITIONS)}`;
  if (op === 1) return `${choice(rng, EDIT_OPENERS)} ${original.charAt(0).toLowerCase()}${original.slice(1)}`;
  return `${original.slice(0, Math.ceil(original.length * 0.6)).trimEnd()}. ${choice(rng, EDIT_ADDITIONS)}`;
}

export const REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";

export const REASONS = {
  edited: ["tone too formal", "missing order number", "too long"],
  rejected: [
    "cited the wrong policy",
    "missed the customer's question",
    "made up an order status",
    "summary dropped key details"
  ],
  escalated: ["needs a tier-2 engineer", "customer threatened to churn", "legal or compliance request"],
  "data-export-request": ["no documented process for data exports", "cited the wrong retention policy"]
} as const;

export const FLAG_EXCERPTS = {
  hallucination: [
    "The refund was already processed on March 3 (no such refund exists).",
    "Your plan includes unlimited seats at no extra cost.",
    "Order #{order} shipped via express yesterday."
  ],
  "pii-leak": [
    "Another customer's invoice for order #{order} is attached.",
    "The account owner's home address is on file as requested."
  ],
  "unsafe-advice": [
    "Disable the firewall to fix the sync error.",
    "Share your password with the agent so we can log in."
  ],
  "policy-violation": [
    "We can waive the contract's termination fee for you.",
    "Refund approved outside the 30-day window."
  ],
  "refusal-overreach": ["I can't discuss billing information.", "I'm unable to help with account questions."]
} as const;

export const flagExcerpt = (rng: Rng, category: keyof typeof FLAG_EXCERPTS): string =>
  fill(rng, choice(rng, FLAG_EXCERPTS[category]));
