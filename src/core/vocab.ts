// Character vocabulary shared by every task. Ids are positions in this string, so a checkpoint's
// vocab can be checked by string equality.
export const PAD = '_'; // left padding; never attended to
export const BOS = '^'; // start of every prompt (an attention sink)
export const EOS = '$'; // end of every response
export const VOCAB = `${PAD}${BOS}${EOS}0123456789+=;>|KR:`;
export const VOCAB_SIZE = VOCAB.length;
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

const index = new Map([...VOCAB].map((c, i) => [c, i]));

export function encode(text: string): number[] {
  return [...text].map((c) => {
    const id = index.get(c);
    if (id === undefined) throw new Error(`character '${c}' is not in the vocabulary "${VOCAB}"`);
    return id;
  });
}

export function decode(ids: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += VOCAB[ids[i]] ?? '?';
  return s;
}

/** Token ids of a prompt: BOS then the text. */
export function promptIds(text: string): number[] {
  return [BOS_ID, ...encode(text)];
}

/** Token ids of a complete response: the text then EOS. */
export function responseIds(text: string): number[] {
  return [...encode(text), EOS_ID];
}

/** The text of a sampled response (up to, not including, EOS). */
export function responseText(ids: number[]): string {
  const end = ids.indexOf(EOS_ID);
  return decode(end < 0 ? ids : ids.slice(0, end));
}
