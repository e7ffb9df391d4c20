// The few browser APIs the page script uses, typed here because the project compiles without the
// DOM library (its code runs in Node). The page passes the real `document` and `window`.

export interface PageElement {
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  addEventListener(type: string, listener: () => void): void;
}

export interface PageDocument {
  documentElement: PageElement;
  title: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

export interface PageResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface PageWindow {
  location: { protocol: string };
  fetch(url: string, init?: { cache?: string }): Promise<PageResponse>;
  setInterval(handler: () => void, milliseconds: number): unknown;
  DOMParser: new () => { parseFromString(text: string, type: string): PageDocument };
}
