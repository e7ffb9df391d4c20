// Matching requested option values to the options an engine declared, before `setoption` is sent.

import type { GuiCommand, OptionDeclaration } from "./grammar.js";

export type OptionValue = string | number | boolean;

/**
 * Reserved USI names and the plain names that some engines declare instead (native
 * Fairy-Stockfish 11.1 declares `Hash` and `Ponder` in USI mode and rejects `USI_Hash`).
 */
const RESERVED_PREFIX = "USI_";
const PREFIX_OPTIONAL_NAMES: readonly string[] = ["Hash", "Ponder"];

export interface OptionPlan {
  commands: Array<Extract<GuiCommand, { kind: "setoption" }>>;
  /** One message for each requested option that is not sent, and why. */
  warnings: string[];
}

/**
 * Plans one `setoption` per requested value that fits a declared option. Names match exactly,
 * then ignoring case, then `USI_Hash`/`Hash` and `USI_Ponder`/`Ponder` stand for each other.
 * Values that do not fit the declared type or range are not sent.
 */
export function planOptions(declared: readonly OptionDeclaration[], values: Readonly<Record<string, OptionValue>>): OptionPlan {
  const plan: OptionPlan = { commands: [], warnings: [] };
  for (const [name, value] of Object.entries(values)) {
    const option = findOption(declared, name);
    if (!option) {
      plan.warnings.push(`option '${name}' is not declared by the engine; not sent`);
      continue;
    }
    const text = optionText(option, value);
    if (typeof text === "object") plan.warnings.push(`option '${name}': ${text.error}; not sent`);
    else if (text === undefined) plan.commands.push({ kind: "setoption", name: option.name });
    else plan.commands.push({ kind: "setoption", name: option.name, value: text });
  }
  return plan;
}

function findOption(declared: readonly OptionDeclaration[], name: string): OptionDeclaration | undefined {
  const lower = name.toLowerCase();
  return (
    declared.find((option) => option.name === name) ??
    declared.find((option) => option.name.toLowerCase() === lower) ??
    declared.find((option) => option.name === alternativeName(name))
  );
}

/** `USI_Hash` for `Hash` and back; undefined for names without such a twin. */
function alternativeName(name: string): string | undefined {
  if (PREFIX_OPTIONAL_NAMES.includes(name)) return RESERVED_PREFIX + name;
  const plain = name.startsWith(RESERVED_PREFIX) ? name.slice(RESERVED_PREFIX.length) : "";
  return PREFIX_OPTIONAL_NAMES.includes(plain) ? plain : undefined;
}

/** Returns the value text to send, undefined for a button, or an error. */
function optionText(option: OptionDeclaration, value: OptionValue): string | undefined | { error: string } {
  const text = String(value);
  switch (option.type) {
    case "button":
      return undefined;
    case "check":
      return text === "true" || text === "false" ? text : { error: `expected true or false, got '${text}'` };
    case "spin":
      return spinText(option, text);
    case "combo":
      return option.vars.length === 0 || option.vars.includes(text)
        ? text
        : { error: `'${text}' is not one of ${option.vars.join(", ")}` };
    default:
      return text;
  }
}

function spinText(option: Extract<OptionDeclaration, { type: "spin" }>, text: string): string | { error: string } {
  const number = Number(text);
  if (text.trim() === "" || !Number.isInteger(number)) return { error: `expected an integer, got '${text}'` };
  if ((option.min !== undefined && number < option.min) || (option.max !== undefined && number > option.max)) {
    return { error: `${number} is outside ${option.min ?? "-inf"}..${option.max ?? "inf"}` };
  }
  return String(number);
}
