/** An HTTP answer read as the hardening tests judge it: status, headers, the raw text, and its JSON (null when it is none). */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[] } | null;
}

export async function readResponse(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let body: RawResponse['body'];
  try {
    body = JSON.parse(text) as RawResponse['body'];
  } catch {
    body = null;
  }
  return { status: response.status, headers: response.headers, text, body };
}
