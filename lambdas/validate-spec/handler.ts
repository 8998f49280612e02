// Placeholder until the domain module lands (same session); replaced by a thin zod-parsing handler.
export async function handler(): Promise<never> {
  throw new Error('not implemented yet');
}
