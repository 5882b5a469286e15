// `npm run corpus [filter]`: every Sentinel rule and parser of ../shared/corpus/sentinel compiled
// and executed over the sample data; prints the report, its last line one line of JSON.
import { formatReport } from './report.ts';
import { runCorpus } from './run.ts';

const filter = process.argv[2];
const report = await runCorpus(filter !== undefined ? { filter } : {});
console.log(formatReport(report));
