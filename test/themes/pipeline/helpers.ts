// Shared set-up for the pipeline tests: the labelled quality set, read once.
import { readFileSync } from 'node:fs';

export interface LabelledAnswer {
  id: string;
  text: string;
  label: string;
}

let cache: LabelledAnswer[] | undefined;

export function labelledSet(): LabelledAnswer[] {
  cache ??= readFileSync(new URL('../../fixtures/themes/labelled.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledAnswer);
  return cache;
}
