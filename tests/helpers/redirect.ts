/**
 * Where `render` redirects with next/navigation's redirect() (which throws), or null when it does
 * not. The thrown error's digest is "NEXT_REDIRECT;<type>;<url>;<status>;".
 */
export async function redirectTarget(render: () => unknown): Promise<string | null> {
  try {
    await render();
    return null;
  } catch (err) {
    const digest = (err as { digest?: string }).digest ?? "";
    if (!digest.startsWith("NEXT_REDIRECT;")) throw err;
    return digest.split(";")[2];
  }
}
