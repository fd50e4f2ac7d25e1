// duckdb_load.js FILE — the same work as polars_load.js with DuckDB (@duckdb/node-api):
// read_csv (every column; the sniffer parses event_time as a TIMESTAMP) into a table,
// event types mapped to 1..4, then one row per session with list(code ORDER BY
// event_time) and the purchase label.  Prints one key=value line.
const duckdb = require(process.env.CLICKSEQ_BENCH_NODE_MODULES + "/@duckdb/node-api");
(async () => {
  const path = process.argv[2].replace(/'/g, "''");
  const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
  const inst = await duckdb.DuckDBInstance.create(":memory:");
  const con = await inst.connect();
  await con.run(`CREATE TABLE ev AS SELECT *, CASE event_type WHEN 'purchase' THEN 1 WHEN 'cart' THEN 2 WHEN 'view' THEN 3
                      WHEN 'remove_from_cart' THEN 4 ELSE 0 END::TINYINT AS code
      FROM read_csv('${path}', header = true, all_varchar = false)`);
  await con.run(`CREATE TABLE s AS SELECT user_session, list(code ORDER BY event_time) AS seq,
      bool_or(code = 1) AS label FROM ev GROUP BY user_session`);
  const r = await con.runAndReadAll(`SELECT (SELECT count(*) FROM ev), count(*), sum(label::INT) FROM s`);
  const [ne, ns, np] = r.getRows()[0];
  const t1 = process.hrtime.bigint(); const c = process.cpuUsage(c0);
  console.log(`events=${ne} sessions=${ns} positive=${np} wall_s=${(Number(t1-t0)/1e9).toFixed(3)} cpu_s=${((c.user+c.system)/1e6).toFixed(3)}`);
})();
