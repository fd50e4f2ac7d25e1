// polars_load.js FILE — load and sessionise a REES46 file with polars (nodejs-polars 0.25.2),
// the same work as clickseq's loadbench and pandas_load.py: read every column, parse
// event_time, map event types to 1..4, sort by session then time, group each session's
// events into a list, label = the session holds a purchase.  Prints one key=value line.
// Installed by install-competitors.sh; run by run.sh (CLICKSEQ_BENCH_NODE_MODULES).
const pl = require(process.env.CLICKSEQ_BENCH_NODE_MODULES + "/nodejs-polars");
const path = process.argv[2];
const t0 = process.hrtime.bigint(); const c0 = process.cpuUsage();
let df = pl.readCSV(path, { dtypes: { product_id: pl.Int64, category_id: pl.Int64, user_id: pl.Int64, price: pl.Float64 } });
df = df.withColumns(
  pl.col("event_time").str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S UTC"),
  pl.when(pl.col("event_type").eq(pl.lit("purchase"))).then(pl.lit(1)).when(pl.col("event_type").eq(pl.lit("cart"))).then(pl.lit(2)).when(pl.col("event_type").eq(pl.lit("view"))).then(pl.lit(3)).when(pl.col("event_type").eq(pl.lit("remove_from_cart"))).then(pl.lit(4)).otherwise(pl.lit(0)).cast(pl.Int8).alias("code"));
df = df.sort(["user_session","event_time"], false, false, true);
const g = df.groupBy("user_session").agg(pl.col("code").alias("seq"), pl.col("code").eq(1).any().alias("label"));
const t1 = process.hrtime.bigint(); const c = process.cpuUsage(c0);
console.log(`events=${df.height} sessions=${g.height} positive=${g.getColumn("label").cast(pl.Int32).sum()} wall_s=${(Number(t1-t0)/1e9).toFixed(3)} cpu_s=${((c.user+c.system)/1e6).toFixed(3)}`);
