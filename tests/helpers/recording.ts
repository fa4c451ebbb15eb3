/**
 * The object with every async method's answer handed to `note` as well — for tests that check afterwards that no
 * answer (message, error) ever carried a secret.
 */
export function recordingAnswers<T extends object>(target: T, note: (answer: unknown) => void): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const v = Reflect.get(obj, key, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const answer = await (v as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
        note(answer);
        return answer;
      };
    },
  });
}
