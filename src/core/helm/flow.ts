// How a template block ended: normally, or by `{{ break }}` / `{{ continue }}` inside a range.
export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export type Flow = 0 | 1 | 2;
