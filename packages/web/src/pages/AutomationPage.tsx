// A stub until the Automation page is built: it says what the page will hold.
import { PlaceholderPage } from './PlaceholderPage.tsx';
import { SECTIONS } from '../shell/sections.ts';

export default function AutomationPage() {
  return <PlaceholderPage section={SECTIONS.find((s) => s.path === '/automation')!} />;
}
