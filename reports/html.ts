// HTML text helpers for the page. Every string that comes from run data goes through escapeHtml;
// localized text carries its dictionary key so the page can switch languages.

import { escapeXml } from "./charts/svg.js";
import { type MessageKey, translate, translateDynamic } from "./i18n.js";

export type HtmlAttributes = Record<string, string | number | boolean | undefined>;

/** Escapes text for HTML content and attribute values: & < > " and '. */
export function escapeHtml(text: string): string {
  return escapeXml(text);
}

/**
 * Serialises a value as JSON for a `<script type="application/json">` element. Besides "<", which
 * could close the element, ">" and "&" are escaped, and U+2028 and U+2029 for older JavaScript parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function attributeText(attributes: HtmlAttributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join("");
}

/** Builds an element. `content` is markup and is inserted as it is. */
export function tag(name: string, attributes: HtmlAttributes, content: string): string {
  return `<${name}${attributeText(attributes)}>${content}</${name}>`;
}

/** Builds an element and escapes its text content. */
export function textTag(name: string, attributes: HtmlAttributes, text: string): string {
  return tag(name, attributes, escapeHtml(text));
}

/**
 * Builds an element that contains the English text of a dictionary entry, with the key and values
 * the page needs to show it in another language. `fallback` is shown for a key the dictionary lacks.
 */
export function localized(name: string, key: MessageKey | string, values: Record<string, string> = {}, attributes: HtmlAttributes = {}, fallback?: string): string {
  const english = fallback === undefined ? translate("en", key as MessageKey, values) : translateDynamic("en", key, fallback);
  const i18n: HtmlAttributes = {
    "data-i18n": key,
    "data-i18n-values": Object.keys(values).length > 0 ? JSON.stringify(values) : undefined,
    "data-i18n-fallback": fallback,
  };
  return textTag(name, { ...attributes, ...i18n }, english);
}

/** Builds a table with localized header cells and markup rows. */
export function table(headers: Array<{ key: MessageKey; values?: Record<string, string> }>, rows: string[][], attributes: HtmlAttributes = {}): string {
  const head = tag("tr", {}, headers.map((header) => localized("th", header.key, header.values ?? {}, { scope: "col" })).join(""));
  const body = rows.map((cells) => tag("tr", {}, cells.map((cell) => tag("td", {}, cell)).join(""))).join("");
  return tag("table", attributes, tag("thead", {}, head) + tag("tbody", {}, body));
}

/** Builds a section with a localized heading. */
export function section(id: string, headingKey: MessageKey, content: string, headingValues: Record<string, string> = {}): string {
  return tag("section", { id }, localized("h2", headingKey, headingValues) + content);
}
