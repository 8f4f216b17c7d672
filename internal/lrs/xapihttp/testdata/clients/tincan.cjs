// Exercises an LRS through TinCanJS (Rustici's tincanjs package), which speaks xAPI 1.0.0–1.0.2.
//
//   node tincan.cjs ENDPOINT KEY SECRET [VERSION]
//
// Every request goes through the library's own API; the Agents resource, for which TinCanJS has
// no method, goes through its generic LRS.sendRequest.
"use strict";

const TinCan = require("tincanjs");
const { config, check, expect, equal, run, fixture, sleep } = require("./report.cjs");

const cfg = config("1.0.2");
const lrsConfig = { endpoint: cfg.endpoint, username: cfg.key, password: cfg.secret, version: cfg.version, allowFail: false };
const lrs = new TinCan.LRS(lrsConfig);
const f = fixture();
const ana = new TinCan.Agent(f.ana);
const lesson = new TinCan.Activity(f.lesson);

// call runs one LRS method, whose last argument is its cfg object (the callback goes there),
// and resolves with the library's result; a failed request rejects with its HTTP status.
function call(method, ...args) {
  return new Promise((resolve, reject) => {
    const opts = args.pop();
    opts.callback = (err, result) => {
      if (err === null) {
        resolve(result);
        return;
      }
      const e = new Error(`${method}: ${typeof err === "number" ? "HTTP " + err : err}${result && result.responseText ? ": " + result.responseText.trim() : ""}`);
      e.status = err;
      reject(e);
    };
    lrs[method](...args, opts);
  });
}

// status awaits a request that should fail and returns its HTTP status (200 if it succeeded).
async function status(request) {
  try {
    await request;
  } catch (err) {
    if (typeof err.status === "number") {
      return err.status;
    }
    throw err;
  }
  return 200;
}

function statement(actor, verb, object, extra) {
  return new TinCan.Statement(Object.assign({ actor, verb, object }, extra || {}));
}

const ids = (result) => result.statements.map((s) => s.id);
const sorted = (a) => [...a].sort();

async function main() {
  const saved = {};

  await check("about", async () => {
    const about = await call("about", {});
    expect(Array.isArray(about.version) && about.version.includes(cfg.version), `versions ${JSON.stringify(about.version)} lack ${cfg.version}`);
    return about.version.join(", ");
  });

  await check("statement.save", async () => {
    // A statement with an id is sent with PUT ?statementId=.
    const st = statement(f.ana, f.experienced, f.lesson, { id: f.uuid() });
    await call("saveStatement", st, {});
    saved.first = st.id;
    return st.id;
  });

  await sleep(20); // the batch is stored strictly after the first statement
  await check("statements.save-batch", async () => {
    const batch = [
      statement(f.ana, f.completed, f.lesson),
      statement(f.ana, f.experienced, f.quiz),
      statement(f.ben, f.completed, f.quiz),
    ];
    const xhr = await call("saveStatements", batch, {});
    const got = JSON.parse(xhr.responseText);
    equal(got, batch.map((s) => s.id), "ids returned for the batch");
    [saved.anaCompletedLesson, saved.anaExperiencedQuiz, saved.benCompletedQuiz] = got;
    return got.join(", ");
  });

  await check("statement.retrieve", async () => {
    const st = await call("retrieveStatement", saved.first, {});
    equal(st.id, saved.first, "id");
    equal(st.actor.mbox, f.ana.mbox, "actor");
    equal(st.verb.id, f.experienced.id, "verb");
    equal(st.target.id, f.lesson.id, "object");
    expect(st.stored, "no stored timestamp");
    expect(st.authority, "no authority");
    saved.firstStored = st.stored;
    return `stored ${st.stored}`;
  });

  await check("statements.query.agent", async () => {
    const r = await call("queryStatements", { params: { agent: ana } });
    equal(sorted(ids(r)), sorted([saved.first, saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements of ana");
  });

  await check("statements.query.verb", async () => {
    const r = await call("queryStatements", { params: { verb: new TinCan.Verb(f.completed) } });
    equal(sorted(ids(r)), sorted([saved.anaCompletedLesson, saved.benCompletedQuiz]), "completed statements");
  });

  await check("statements.query.activity", async () => {
    const r = await call("queryStatements", { params: { activity: new TinCan.Activity(f.quiz) } });
    equal(sorted(ids(r)), sorted([saved.anaExperiencedQuiz, saved.benCompletedQuiz]), "statements about the quiz");
  });

  await check("statements.query.since", async () => {
    const r = await call("queryStatements", { params: { agent: ana, since: saved.firstStored } });
    equal(sorted(ids(r)), sorted([saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements of ana stored after the first");
  });

  await check("statements.query.until", async () => {
    const r = await call("queryStatements", { params: { agent: ana, until: saved.firstStored } });
    equal(ids(r), [saved.first], "statements of ana stored up to the first");
  });

  await check("statements.query.ascending", async () => {
    const r = await call("queryStatements", { params: { agent: ana, ascending: true, limit: 1 } });
    equal(ids(r), [saved.first], "the earliest statement of ana");
  });

  await check("statements.query.limit-more", async () => {
    let r = await call("queryStatements", { params: { agent: ana, limit: 1 } });
    const seen = ids(r);
    let pages = 1;
    expect(r.statements.length === 1, `first page has ${r.statements.length} statements, want 1`);
    while (r.more) {
      expect(pages < 10, "more links do not end");
      r = await call("moreStatements", { url: r.more });
      seen.push(...ids(r));
      pages++;
    }
    equal(sorted(seen), sorted([saved.first, saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements over all pages");
    return `${pages} pages`;
  });

  await check("statement.void", async () => {
    // TinCan.voidStatement builds the voiding statement and saves it to each record store.
    const tincan = new TinCan({ recordStores: [lrsConfig] });
    const voiding = await new Promise((resolve, reject) => {
      tincan.voidStatement(saved.first, (results, st) => {
        const r = results[0];
        if (r.err !== null) {
          reject(new Error(`voidStatement: HTTP ${r.err}: ${r.xhr && r.xhr.responseText}`));
          return;
        }
        resolve(st);
      }, { actor: ana });
    });
    saved.voiding = voiding.id;
    return voiding.id;
  });

  await check("statement.voided-not-retrievable-by-statementId", async () => {
    equal(await status(call("retrieveStatement", saved.first, {})), 404, "status of GET ?statementId= of a voided statement");
  });

  await check("statement.retrieve-voided", async () => {
    const st = await call("retrieveVoidedStatement", saved.first, {});
    equal(st.id, saved.first, "id");
    equal(st.verb.id, f.experienced.id, "verb");
  });

  await check("statements.query.excludes-voided", async () => {
    const r = await call("queryStatements", { params: { agent: ana } });
    equal(sorted(ids(r)), sorted([saved.anaCompletedLesson, saved.anaExperiencedQuiz, saved.voiding]), "statements of ana after voiding");
  });

  await stateChecks();
  await profileChecks("activity-profile", {
    save: (id, val, opts) => call("saveActivityProfile", id, val, Object.assign({ activity: lesson }, opts)),
    get: (id) => call("retrieveActivityProfile", id, { activity: lesson }),
    ids: () => call("retrieveActivityProfileIds", { activity: lesson }),
    drop: (id, opts) => call("dropActivityProfile", id, Object.assign({ activity: lesson }, opts)),
  });
  await profileChecks("agent-profile", {
    save: (id, val, opts) => call("saveAgentProfile", id, val, Object.assign({ agent: ana }, opts)),
    get: (id) => call("retrieveAgentProfile", id, { agent: ana }),
    ids: () => call("retrieveAgentProfileIds", { agent: ana }),
    drop: (id, opts) => call("dropAgentProfile", id, Object.assign({ agent: ana }, opts)),
  });

  await check("activities.retrieve", async () => {
    const a = await call("retrieveActivity", f.lesson.id, {});
    equal(a.id, f.lesson.id, "id");
    equal(a.definition && a.definition.name, f.lesson.definition.name, "definition.name");
  });

  await check("agents.retrieve", async () => {
    const xhr = await call("sendRequest", { url: "agents", method: "GET", params: { agent: JSON.stringify(ana.asVersion(cfg.version)) } });
    const person = JSON.parse(xhr.responseText);
    equal(person.objectType, "Person", "objectType");
    expect(Array.isArray(person.mbox) && person.mbox.includes(f.ana.mbox), `mbox ${JSON.stringify(person.mbox)} lacks ${f.ana.mbox}`);
    expect(Array.isArray(person.name) && person.name.includes(f.ana.name), `name ${JSON.stringify(person.name)} lacks ${f.ana.name}`);
  });
}

async function stateChecks() {
  // The library sets cfg.contentType and cfg.callback on the cfg it is given: each call gets its own.
  const at = (extra) => Object.assign({ agent: ana, activity: lesson, registration: f.registration }, extra);
  const json = { contentType: "application/json" };
  let since;

  await check("state.set", async () => {
    await call("saveState", "bookmark", { page: 3, lang: "en" }, at(json));
  });

  await check("state.get", async () => {
    const st = await call("retrieveState", "bookmark", at());
    expect(st !== null, "no state document");
    equal(st.contents, { page: 3, lang: "en" }, "contents");
    expect(st.etag && st.etag.startsWith('"'), `ETag ${st.etag} is not a quoted entity tag`);
  });

  await check("state.get-same-agent-without-name", async () => {
    // A document belongs to the agent's identifier, however the agent is written.
    const st = await call("retrieveState", "bookmark", at({ agent: new TinCan.Agent({ mbox: f.ana.mbox }) }));
    equal(st && st.contents, { page: 3, lang: "en" }, "contents");
  });

  await sleep(20);
  since = new Date().toISOString();
  await sleep(20);
  await check("state.get-text", async () => {
    await call("saveState", "progress", "50%", at({ contentType: "text/plain" }));
    const st = await call("retrieveState", "progress", at());
    equal(st && st.contents, "50%", "contents");
    expect(st.contentType.startsWith("text/plain"), `Content-Type ${st.contentType}`);
  });

  await check("state.ids", async () => {
    equal(sorted(await call("retrieveStateIds", at())), ["bookmark", "progress"], "state ids");
  });

  await check("state.ids-since", async () => {
    equal(await call("retrieveStateIds", at({ since })), ["progress"], `state ids since ${since}`);
  });

  await check("state.ids-other-registration", async () => {
    equal(await call("retrieveStateIds", at({ registration: f.uuid() })), [], "state ids under another registration");
  });

  await check("state.ids-without-registration", async () => {
    // Communication 2.3: the ids of the activity and agent, narrowed to a registration only if one is given.
    equal(sorted(await call("retrieveStateIds", at({ registration: null }))), ["bookmark", "progress"], "state ids without a registration");
  });

  await check("state.merge-post", async () => {
    await call("saveState", "bookmark", { page: 4, seen: true }, at(Object.assign({ method: "POST" }, json)));
    const st = await call("retrieveState", "bookmark", at());
    equal(st && st.contents, { page: 4, lang: "en", seen: true }, "merged contents");
  });

  await check("state.delete", async () => {
    await call("dropState", "progress", at());
    equal(await call("retrieveState", "progress", at()), null, "deleted document");
    equal(await call("retrieveStateIds", at()), ["bookmark"], "state ids");
  });

  await check("state.delete-all", async () => {
    await call("dropState", null, at());
    equal(await call("retrieveStateIds", at()), [], "state ids");
  });

  await check("state.delete-all-without-registration", async () => {
    // Communication 2.3: a DELETE without a registration deletes the documents of every registration.
    await call("saveState", "bookmark", { page: 1 }, at(json));
    await call("dropState", null, at({ registration: null }));
    equal(await call("retrieveStateIds", at()), [], "state ids under the registration");
  });
}

// profileChecks runs the same ETag checks on the Activity Profile and the Agent Profile
// resources. TinCanJS sends If-Match with lastSHA1 and If-None-Match: * without it.
async function profileChecks(name, api) {
  const id = "settings";
  const json = { contentType: "application/json" };
  let etag;

  await check(`${name}.create`, async () => {
    await api.save(id, { theme: "dark" }, Object.assign({}, json));
  });

  await check(`${name}.get`, async () => {
    const p = await api.get(id);
    expect(p !== null, "no profile document");
    equal(p.contents, { theme: "dark" }, "contents");
    expect(p.etag, "no ETag");
    etag = p.etag;
    return `ETag ${etag}`;
  });

  await check(`${name}.update-with-etag`, async () => {
    await api.save(id, { theme: "light" }, Object.assign({ lastSHA1: etag }, json));
    const p = await api.get(id);
    equal(p.contents, { theme: "light" }, "contents");
    expect(p.etag !== etag, "the ETag did not change with the content");
  });

  await check(`${name}.update-with-stale-etag-rejected`, async () => {
    equal(await status(api.save(id, { theme: "blue" }, Object.assign({ lastSHA1: etag }, json))), 412, "status of a PUT with an old If-Match");
    equal((await api.get(id)).contents, { theme: "light" }, "contents after the rejected update");
  });

  await check(`${name}.create-existing-rejected`, async () => {
    equal(await status(api.save(id, { theme: "red" }, Object.assign({}, json))), 412, "status of a PUT with If-None-Match: * on an existing document");
  });

  await check(`${name}.ids`, async () => {
    equal(await api.ids(), [id], "profile ids");
  });

  await check(`${name}.delete-with-stale-etag-rejected`, async () => {
    equal(await status(api.drop(id, { requestHeaders: { "If-Match": etag } })), 412, "status of a DELETE with an old If-Match");
    expect((await api.get(id)) !== null, "the document was deleted");
  });

  await check(`${name}.delete`, async () => {
    const p = await api.get(id);
    await api.drop(id, { requestHeaders: { "If-Match": p.etag } });
    equal(await api.get(id), null, "deleted document");
  });
}

run(main);
