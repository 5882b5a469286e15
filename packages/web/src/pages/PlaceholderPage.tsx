import { MessageBar, MessageBarBody, MessageBarTitle, Title2, makeStyles, tokens } from '@fluentui/react-components';
import type { Section } from '../shell/sections.ts';

const useStyles = makeStyles({ page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '720px' } });

/** A section whose page is not built yet says so plainly, rather than showing nothing. */
export function PlaceholderPage({ section }: { section: Section }) {
  const styles = useStyles();
  return (
    <div className={styles.page}>
      <Title2 as="h1">{section.label}</Title2>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>This page is not built yet</MessageBarTitle>
          The {section.label} page will show {section.purpose} Until it arrives, the same data is available through
          Vigil's Azure-shaped API (see docs/ in the repository).
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
