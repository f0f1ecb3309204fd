// Preloaded into a benchmarked server (`node --import`): every 250 ms, the largest event-loop
// delay of the interval, as `event-loop-delay <epoch ms> <ms>` on stderr, for the bench to
// line up with its failures.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
setInterval(() => {
  process.stderr.write(`event-loop-delay ${Date.now()} ${(histogram.max / 1e6).toFixed(1)}\n`);
  histogram.reset();
}, 250).unref();
