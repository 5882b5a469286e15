/** Styles that hide text from the eye but not from screen readers (a table's caption, a column header of row actions). */
export const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;
