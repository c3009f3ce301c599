// Tasks by the name a checkpoint records: a model is only meaningful with the prompts it was trained on.
import { addition, additionQuestionFirst } from './addition';
import type { Task } from './task';

export const TASKS: Record<string, Task> = { [addition.name]: addition, [additionQuestionFirst.name]: additionQuestionFirst };

/** The task a checkpoint was trained for; throws a one-line error for a name this build does not know. */
export function taskByName(name: string): Task {
  const t = Object.hasOwn(TASKS, name) ? TASKS[name] : undefined; // not "toString"
  if (!t) throw new Error(`the checkpoint was trained for task "${name}", which this build does not know (known: ${Object.keys(TASKS).join(', ')})`);
  return t;
}
