// `npm run conformance [filter]`: runs the documentation examples and prints the report.
import { formatReport, runConformance } from './runner.ts';

const filter = process.argv[2];
const result = await runConformance(filter !== undefined ? { filter } : {});
console.log(formatReport(result));
