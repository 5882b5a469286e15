// A stub until the Analytics page is built: it says what the page will hold.
import { PlaceholderPage } from './PlaceholderPage.tsx';
import { SECTIONS } from '../shell/sections.ts';

export default function AnalyticsPage() {
  return <PlaceholderPage section={SECTIONS.find((s) => s.path === '/analytics')!} />;
}
