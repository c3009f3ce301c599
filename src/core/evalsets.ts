// Seeds of the fixed evaluation sets, shared by pretraining, the trainer and the app.
export const EVAL_SEEDS = { easy: 1001, hard: 2002 } as const;
