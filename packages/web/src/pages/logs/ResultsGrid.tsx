// A result table: typed columns (datetime in UTC, numbers right-aligned, bool, dynamic values
// expandable into their pretty-printed JSON), a page of rows at a time (a result may hold
// 500,000 rows: only PAGE_SIZE are in the document).
import { Fragment, useState } from 'react';
import {
  Button, Table, mergeClasses, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import type { QueryTable } from '../../api/query.ts';
import { cellText, dynamicValue, isNumeric } from './cells.ts';

export const PAGE_SIZE = 50;

const useStyles = makeStyles({
  scroller: { overflowX: 'auto', maxWidth: '100%', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  table: { backgroundColor: tokens.colorNeutralBackground1, width: 'max-content', minWidth: '100%' },
  type: { display: 'block', color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightRegular, fontSize: tokens.fontSizeBase100 },
  cell: { maxWidth: '420px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  number: { textAlign: 'right', justifyContent: 'flex-end' },
  dynamicCell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  json: { margin: 0, padding: tokens.spacingVerticalS, fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, whiteSpace: 'pre-wrap', wordBreak: 'break-all', backgroundColor: tokens.colorNeutralBackground3 },
  pager: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, paddingTop: tokens.spacingVerticalS },
});

export function ResultsGrid({ table, label }: { table: QueryTable; label: string }) {
  const styles = useStyles();
  const [page, setPage] = useState(0);
  // Expanded dynamic cells: "row:column".
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const pages = Math.max(1, Math.ceil(table.rows.length / PAGE_SIZE));
  const first = page * PAGE_SIZE;
  const rows = table.rows.slice(first, first + PAGE_SIZE);
  const toggle = (key: string) => setExpanded((s) => {
    const next = new Set(s);
    if (!next.delete(key)) next.add(key);
    return next;
  });

  return (
    <div>
      <div className={styles.scroller}>
        <Table aria-label={label} size="small" className={styles.table}>
          <TableHeader>
            <TableRow>
              {table.columns.map((c) => (
                <TableHeaderCell key={c.name} className={isNumeric(c) ? styles.number : undefined}>
                  <span>{c.name}<span className={styles.type}>{c.type === 'datetime' ? 'datetime (UTC)' : c.type}</span></span>
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row, i) => {
              const rowNumber = first + i + 1;
              const open = table.columns.flatMap((c, j) => (expanded.has(`${rowNumber}:${j}`) ? [{ c, j }] : []));
              return (
                <Fragment key={rowNumber}>
                  <TableRow>
                    {table.columns.map((c, j) => {
                      const value = row[j];
                      const text = cellText(c, value);
                      if (c.type === 'dynamic' && dynamicValue(value) !== undefined) {
                        const key = `${rowNumber}:${j}`;
                        const isOpen = expanded.has(key);
                        return (
                          <TableCell key={j} className={styles.cell} title={text}>
                            <span className={styles.dynamicCell}>
                              <Button
                                size="small" appearance="subtle" icon={isOpen ? <ChevronDownRegular /> : <ChevronRightRegular />}
                                aria-expanded={isOpen} aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${c.name} of row ${rowNumber}`}
                                onClick={() => toggle(key)}
                              />
                              <span>{text}</span>
                            </span>
                          </TableCell>
                        );
                      }
                      return <TableCell key={j} className={mergeClasses(styles.cell, isNumeric(c) && styles.number)} title={text}>{text}</TableCell>;
                    })}
                  </TableRow>
                  {open.map(({ c, j }) => (
                    <TableRow key={`json-${j}`}>
                      <TableCell colSpan={table.columns.length}>
                        <pre className={styles.json} aria-label={`${c.name} of row ${rowNumber}`}>{JSON.stringify(dynamicValue(row[j]), null, 2)}</pre>
                      </TableCell>
                    </TableRow>
                  ))}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {table.rows.length > PAGE_SIZE ? (
        <nav className={styles.pager} aria-label={`Pages of ${label}`}>
          <Button size="small" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous page</Button>
          <Text aria-live="polite">Rows {first + 1}–{first + rows.length} of {table.rows.length.toLocaleString('en-US')} (page {page + 1} of {pages})</Text>
          <Button size="small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>Next page</Button>
        </nav>
      ) : null}
    </div>
  );
}
