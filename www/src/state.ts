// The whole view lives in the URL hash, so that a reload or a shared link
// restores it exactly: `#tab=query&entity=defects&q=...`.

/** The tabs of the page, in order. */
export const TABS = ["query", "odata", "actions"] as const;

/** What the page shows. */
export interface State {
  tab: (typeof TABS)[number];
  entity: string;
  query: string;
  orderBy: string;
  limit: string;
  offset: string;
  fields: string;
  user: string;
  data: "sample" | "pasted";
  server: string;
  sharedSpace: string;
  workspace: string;
  odata: string;
  rest: string;
  /** The action studio's app origin ("" for the default, the next port). */
  app: string;
  /** The action studio's config ("" for the gallery's first). */
  actions: string;
  /** The action studio's user login. */
  login: string;
}

/** The view of a first visit. */
export const INITIAL: State = {
  tab: "query",
  entity: "defects",
  query: "severity EQ {id EQ ^list_node.severity.high^};(phase EQ {name EQ ^New^}||!owner EQ {null})",
  orderBy: "",
  limit: "",
  offset: "",
  fields: "",
  user: "",
  data: "sample",
  server: "https://octane.example.com",
  sharedSpace: "1001",
  workspace: "1002",
  odata: "$filter=creation_time gt 2017-08-24T00:00:00Z and (severity/id eq 'list_node.severity.high' or owner ne null)&$orderby=id desc&$top=10",
  rest: "name EQ ^Login*^;(id GT 5||!owner EQ {null})",
  app: "",
  actions: "",
  login: "ada@example.com",
};

/** Hash keys, short where the URL is shared. */
const KEYS: Record<keyof State, string> = {
  tab: "tab",
  entity: "entity",
  query: "q",
  orderBy: "order_by",
  limit: "limit",
  offset: "offset",
  fields: "fields",
  user: "user",
  data: "data",
  server: "server",
  sharedSpace: "space",
  workspace: "ws",
  odata: "odata",
  rest: "rest",
  app: "app",
  actions: "actions",
  login: "login",
};

/** The state a hash describes; what it leaves out is as on a first visit. */
export function readHash(hash: string): State {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state: State = { ...INITIAL };
  for (const [field, key] of Object.entries(KEYS) as [keyof State, string][]) {
    const value = params.get(key);
    if (value === null) continue;
    if (field === "tab") state.tab = TABS.find((tab) => tab === value) ?? "query";
    else if (field === "data") state.data = value === "pasted" ? "pasted" : "sample";
    else state[field] = value;
  }
  return state;
}

/** The hash of `state`: only what differs from a first visit, and always the query. */
export function writeHash(state: State): string {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(KEYS) as [keyof State, string][]) {
    if (state[field] !== INITIAL[field] || field === "query" || field === "entity") params.set(key, state[field]);
  }
  // Spaces as %20, so that the hash reads the same in every tool.
  return "#" + params.toString().replace(/\+/g, "%20");
}
