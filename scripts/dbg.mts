import { deployMigrations } from "../prisma/migrator";
const url = "file:/tmp/dbg-" + Date.now() + ".sqlite";
console.time("deploy");
try {
  console.log(await deployMigrations(url));
} catch (e) {
  console.log("ERR", String(e).slice(0, 400));
}
console.timeEnd("deploy");
console.time("deploy2");
try {
  console.log(await deployMigrations(url));
} catch (e) {
  console.log("ERR", String(e).slice(0, 400));
}
console.timeEnd("deploy2");
