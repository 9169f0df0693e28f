/**
 * A `fetch` that sends every request to the real server and passes the answers of the requests `matches` selects
 * through `change`: a test's stand-in for how a real service answers differently from the local one (a field it
 * adds or leaves out, a refusal, an answer lost on the way back after the server acted).
 */
export function changedAnswers(
  matches: (url: URL, init: RequestInit | undefined) => boolean,
  change: (response: Response) => Promise<Response>,
): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    return matches(url, init) ? change(response) : response;
  };
}

/** The answer's JSON body, edited. */
export async function editJson<T>(response: Response, edit: (body: T) => unknown): Promise<Response> {
  const body = edit((await response.json()) as T);
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers: { "content-type": "application/json" },
  });
}
