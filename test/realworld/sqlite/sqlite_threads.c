/* sqlite_threads.c: N workers, each with its own in-memory SQLite database, run a deterministic SQL
 * workload and report a digest of every result. SQLite is used as a program would: default
 * threading mode (serialized: every call takes the connection's recursive pthread mutex, and the
 * allocator takes its global one, since memory statistics are on by default).
 *
 *   sqlite_threads [WORKERS [ROWS]]        (defaults: 8 workers, 3000 rows)
 *
 * Built with -DSQLITE_THREADS_GREEN (sp-cc), each worker is a green thread of sp_main, so the
 * runtime preempts them while they share the allocator's mutex, and moves them between OS threads;
 * the number of preemptions goes to stderr as "preemptions: N (deferred: M)". Built without it
 * (plain clang), the workers run one after the other on the main thread: the reference output.
 * Each worker's database and data depend on its number only, and SQLite's results depend on the
 * database only, so the output is the same however the workers interleave: any difference is a
 * broken result. The report is printed after every worker finished, in worker order. */
#include <sqlite3.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SQLITE_THREADS_GREEN
#include <safepoint.h>
#endif

enum { MAX_WORKERS = 64, REPORT_SIZE = 16384 };

struct worker {
  int number;
  int rows;
  sqlite3 *db;
  size_t used;
  char report[REPORT_SIZE];
};

static void say(struct worker *w, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(w->report + w->used, REPORT_SIZE - w->used, format, args);
  va_end(args);
  if (n < 0 || (size_t)n >= REPORT_SIZE - w->used) {
    fprintf(stderr, "worker %d: report overflows %d bytes\n", w->number, REPORT_SIZE);
    exit(2);
  }
  w->used += (size_t)n;
}

/* FNV-1a, 64 bits: the digest of a result, over every column's type and text. */
static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static void fail(struct worker *w, const char *what) {
  fprintf(stderr, "worker %d: %s: %s (%d)\n", w->number, what, sqlite3_errmsg(w->db),
          sqlite3_extended_errcode(w->db));
  exit(2);
}

/* query: runs every statement of sql; the rows of all of them go into one digest line. An error is
 * reported with SQLite's message, as the error path is part of the workload. */
static void query(struct worker *w, const char *label, const char *sql) {
  uint64_t h = 0xcbf29ce484222325ull;
  long rows = 0;
  const char *tail = sql;
  while (*tail) {
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(w->db, tail, -1, &stmt, &tail);
    if (rc != SQLITE_OK) {
      say(w, "worker %d %s: prepare error %d: %s\n", w->number, label,
          sqlite3_extended_errcode(w->db), sqlite3_errmsg(w->db));
      return;
    }
    if (!stmt)  /* only white space or a comment left */
      break;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      rows++;
      for (int c = 0; c < sqlite3_column_count(stmt); c++) {
        unsigned char type = (unsigned char)sqlite3_column_type(stmt, c);
        h = fnv(h, &type, 1);
        const unsigned char *text = sqlite3_column_text(stmt, c);
        h = fnv(h, text ? (const void *)text : "", (size_t)sqlite3_column_bytes(stmt, c) + 1);
      }
    }
    if (rc != SQLITE_DONE) {
      say(w, "worker %d %s: step error %d: %s\n", w->number, label, sqlite3_extended_errcode(w->db),
          sqlite3_errmsg(w->db));
      sqlite3_finalize(stmt);
      return;
    }
    sqlite3_finalize(stmt);
  }
  say(w, "worker %d %s: %ld rows, digest %016llx\n", w->number, label, rows, (unsigned long long)h);
}

/* scalar: one value, printed as SQLite prints it, so a difference shows the numbers themselves. */
static void scalar(struct worker *w, const char *label, const char *sql) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(w->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    fail(w, label);
  if (sqlite3_step(stmt) != SQLITE_ROW)
    fail(w, label);
  say(w, "worker %d %s:", w->number, label);
  for (int c = 0; c < sqlite3_column_count(stmt); c++) {
    const unsigned char *text = sqlite3_column_text(stmt, c);
    say(w, " %s", text ? (const char *)text : "NULL");
  }
  say(w, "\n");
  sqlite3_finalize(stmt);
}

static void exec(struct worker *w, const char *sql) {
  if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    fail(w, sql);
}

/* The workers' data: a linear congruential generator seeded by the worker's number. */
static uint32_t next(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8;
}

static const char *const cities[] = {"Oslo", "Lyon", "Porto", "Graz", "Turku", "Bergen", "Gent"};

static void load(struct worker *w) {
  exec(w, "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT,"
          "  credit INTEGER CHECK (credit >= 0));"
          "CREATE TABLE orders(id INTEGER PRIMARY KEY,"
          "  customer INTEGER NOT NULL REFERENCES customer, amount REAL, note TEXT);"
          "CREATE INDEX orders_by_customer ON orders(customer, amount);"
          "CREATE TABLE blobs(id INTEGER PRIMARY KEY, data BLOB);");
  uint32_t state = (uint32_t)w->number * 2654435761u;
  int customers = w->rows / 5 + 1;
  sqlite3_stmt *add_customer, *add_order;
  if (sqlite3_prepare_v2(w->db, "INSERT INTO customer(name, city, credit) VALUES (?1, ?2, ?3)", -1,
                         &add_customer, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(w->db, "INSERT INTO orders(customer, amount, note) VALUES (?1, ?2, ?3)",
                         -1, &add_order, NULL) != SQLITE_OK)
    fail(w, "prepare inserts");
  exec(w, "BEGIN");
  for (int i = 0; i < customers; i++) {
    char name[32];
    snprintf(name, sizeof name, "cust-%d-%05d", w->number, (i * 7919) % customers);
    sqlite3_bind_text(add_customer, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(add_customer, 2, cities[next(&state) % 7], -1, SQLITE_STATIC);
    sqlite3_bind_int(add_customer, 3, (int)(next(&state) % 10000));
    if (sqlite3_step(add_customer) != SQLITE_DONE)
      fail(w, "insert customer");
    sqlite3_reset(add_customer);
  }
  exec(w, "COMMIT");
  /* Orders in several transactions, as an application commits batches. */
  for (int i = 0; i < w->rows; i++) {
    if (i % 500 == 0)
      exec(w, "BEGIN");
    char note[48];
    uint32_t r = next(&state);
    snprintf(note, sizeof note, "%c%c-%u-%x", 'a' + r % 26, 'a' + (r >> 5) % 26, r % 1000, r);
    sqlite3_bind_int(add_order, 1, (int)(next(&state) % (uint32_t)customers) + 1);
    sqlite3_bind_double(add_order, 2, (double)(next(&state) % 100000) / 100.0);
    sqlite3_bind_text(add_order, 3, note, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(add_order) != SQLITE_DONE)
      fail(w, "insert order");
    sqlite3_reset(add_order);
    if (i % 500 == 499 || i == w->rows - 1)
      exec(w, "COMMIT");
  }
  sqlite3_finalize(add_customer);
  sqlite3_finalize(add_order);
}

static void workload(struct worker *w) {
  if (sqlite3_open(":memory:", &w->db) != SQLITE_OK)
    fail(w, "open");
  load(w);
  scalar(w, "counts",
         "SELECT (SELECT count(*) FROM customer), count(*), total(amount) FROM orders");
  query(w, "recursive-cte",
        "WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL"
        "  SELECT n + 1, b, (a + b) % 1000000007 FROM fib WHERE n < 4000)"
        "SELECT n, a FROM fib WHERE n % 97 = 0;"
        "WITH RECURSIVE collatz(x, steps) AS (SELECT 27 + (SELECT count(*) FROM customer) % 50, 0"
        "  UNION ALL SELECT CASE WHEN x % 2 THEN 3 * x + 1 ELSE x / 2 END, steps + 1 FROM collatz"
        "  WHERE x > 1) SELECT max(x), max(steps) FROM collatz");
  query(w, "join-aggregate",
        "SELECT c.city, count(*), round(sum(o.amount), 2), round(avg(o.amount), 4), min(o.note),"
        "  max(o.note), count(DISTINCT c.id) FROM orders o JOIN customer c ON c.id = o.customer"
        "  GROUP BY c.city HAVING count(*) > 1 ORDER BY c.city");
  query(w, "left-join-subquery",
        "SELECT c.name, coalesce(t.n, 0), coalesce(t.best, -1) FROM customer c LEFT JOIN"
        "  (SELECT customer, count(*) AS n, max(amount) AS best FROM orders GROUP BY customer) t"
        "  ON t.customer = c.id WHERE c.credit > 5000 ORDER BY c.name");
  query(w, "strings-printf",
        "SELECT printf('%08.3f|%-12s|%x|%5.2e|%q', amount, upper(note), id, amount * 1000, note),"
        "  substr(note, 2, 5), replace(note, '-', '+-'), length(note), instr(note, '7'), hex(note),"
        "  trim(note, 'abc'), lower(upper(note)) = note, quote(amount)"
        "  FROM orders ORDER BY id");
  scalar(w, "like-glob",
         "SELECT (SELECT count(*) FROM customer WHERE name LIKE '%-1%3'),"
         "  (SELECT count(*) FROM orders WHERE note LIKE 'A_-%' ESCAPE '\\'),"
         "  (SELECT count(*) FROM orders WHERE note GLOB '*[0-9][0-9]-*[a-f]'),"
         "  (SELECT count(*) FROM orders WHERE note NOT GLOB '[a-m]*')");
  query(w, "order-by", "SELECT id, amount, note FROM orders ORDER BY note DESC, amount, id");
  query(w, "window",
        "SELECT id, customer, round(sum(amount) OVER (PARTITION BY customer ORDER BY id"
        "  ROWS 3 PRECEDING), 2), rank() OVER (ORDER BY amount DESC) FROM orders ORDER BY id");
  query(w, "json-math",
        "SELECT json_group_array(json_object('id', id, 'n', note)) FROM"
        "  (SELECT id, note FROM orders WHERE id % 50 = 0);"
        "SELECT round(sqrt(sum(amount * amount)), 6), round(ln(1 + max(amount)), 9),"
        "  round(pow(2.5, 10), 3) FROM orders");
  /* A savepoint whose changes are rolled back: the totals after it are the ones before. */
  exec(w, "SAVEPOINT rewrite; UPDATE orders SET amount = amount * 2 WHERE id % 2 = 0;"
          "DELETE FROM orders WHERE id % 3 = 0;"
          "INSERT INTO customer(name, credit) VALUES ('temp', 1)");
  scalar(w, "inside-savepoint",
         "SELECT count(*), total(amount), (SELECT count(*) FROM customer) FROM orders");
  exec(w, "ROLLBACK TO rewrite; RELEASE rewrite");
  scalar(w, "after-rollback",
         "SELECT count(*), total(amount), (SELECT count(*) FROM customer) FROM orders");
  /* The error paths: a constraint violation mid-transaction (the transaction survives it), a
   * failing CHECK, a syntax error, a missing table. */
  exec(w, "BEGIN");
  query(w, "unique-violation", "INSERT INTO customer(name) SELECT name FROM customer WHERE id = 3");
  query(w, "check-violation", "UPDATE customer SET credit = credit - 100000 WHERE id = 5");
  query(w, "notnull-violation", "INSERT INTO orders(customer) VALUES (NULL)");
  exec(w, "INSERT INTO orders(customer, amount, note) VALUES (1, 1.5, 'in-transaction')");
  exec(w, "ROLLBACK");
  query(w, "syntax-error", "SELEC 1");
  query(w, "missing-table", "SELECT * FROM nowhere");
  /* Allocation-heavy: multi-megabyte strings and blobs, and a large table built and sorted. */
  query(w, "big-strings",
        "SELECT length(group_concat(note || printf('%.*c', 200, 'x'), ',')) FROM orders;"
        "SELECT length(replace(group_concat(name), '-', '---')) FROM customer");
  exec(w, "INSERT INTO blobs(data) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
          "  WHERE i < 20) SELECT zeroblob(100000 + i * 1000) FROM n");
  scalar(w, "blobs", "SELECT count(*), sum(length(data)), hex(substr(data, 1, 4)) FROM blobs");
  exec(w, "CREATE TABLE wide AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
          "  WHERE i < 5000) SELECT i, printf('%0200d', i * 7) AS pad, i % 13 AS k FROM n");
  query(w, "wide-sort", "SELECT k, count(*), max(pad), min(i) FROM wide GROUP BY k ORDER BY k;"
                        "SELECT i FROM wide ORDER BY pad DESC LIMIT 20");
  scalar(w, "changes", "SELECT total_changes()");
  if (sqlite3_close(w->db) != SQLITE_OK)
    fail(w, "close");
}

static struct worker workers[MAX_WORKERS];
static int worker_count;

#ifdef SQLITE_THREADS_GREEN
static sp_waitgroup done = SP_WAITGROUP_INIT;

static void green_worker(void *arg) {
  workload(arg);
  sp_wg_done(&done);
}
#endif

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
#ifdef SQLITE_THREADS_GREEN
  sp_wg_add(&done, worker_count);
  for (int i = 0; i < worker_count; i++)
    sp_go(green_worker, &workers[i]);
  sp_wg_wait(&done);
#else
  for (int i = 0; i < worker_count; i++)
    workload(&workers[i]);
#endif
  printf("SQLite %s, threading mode %d, %d workers\n", sqlite3_libversion(), sqlite3_threadsafe(),
         worker_count);
  for (int i = 0; i < worker_count; i++)
    fputs(workers[i].report, stdout);
#ifdef SQLITE_THREADS_GREEN
  sp_stats stats;
  sp_stats_get(&stats);
  fprintf(stderr, "preemptions: %llu (deferred: %llu)\n", (unsigned long long)stats.preemptions,
          (unsigned long long)stats.preemptions_deferred);
#endif
  return 0;
}

int main(int argc, char **argv) {
  worker_count = argc > 1 ? atoi(argv[1]) : 8;
  int rows = argc > 2 ? atoi(argv[2]) : 3000;
  if (worker_count < 1 || worker_count > MAX_WORKERS || rows < 10) {
    fprintf(stderr, "usage: sqlite_threads [WORKERS (1-%d) [ROWS (at least 10)]]\n", MAX_WORKERS);
    return 2;
  }
  for (int i = 0; i < worker_count; i++) {
    workers[i].number = i + 1;
    workers[i].rows = rows;
  }
#ifdef SQLITE_THREADS_GREEN
  return sp_main(run, argc, argv);
#else
  return run(argc, argv);
#endif
}
