// Exercises an LRS through xAPI.js (the @xapi/xapi package). It defaults to xAPI 1.0.3 and sends
// the version it is configured with in every request, so it also speaks 2.0.0.
//
//   node xapijs.mjs ENDPOINT KEY SECRET [VERSION]
//
// Every request goes through the library's own API, with its default (axios) adapter.
import XAPI from "@xapi/xapi";
import report from "./report.cjs";

const { config, check, expect, equal, run, fixture, sleep } = report;

const cfg = config("1.0.3");
const xapi = new XAPI({ endpoint: cfg.endpoint, auth: XAPI.toBasicAuth(cfg.key, cfg.secret), version: cfg.version });
const f = fixture();

// status awaits a request that should fail and returns its HTTP status (200 if it succeeded).
async function status(request) {
  try {
    const res = await request;
    return res.status;
  } catch (err) {
    if (err.response) {
      return err.response.status;
    }
    throw err;
  }
}

// explain turns a failed request into an error that names its status and the LRS's message.
function explain(err) {
  if (err && err.response) {
    const body = typeof err.response.data === "string" ? err.response.data : JSON.stringify(err.response.data);
    return new Error(`HTTP ${err.response.status} from ${err.config.method.toUpperCase()} ${err.config.url}: ${body}`);
  }
  return err;
}

// checked runs a check whose request errors are explained.
const checked = (name, fn) => check(name, () => fn().catch((err) => { throw explain(err); }));

const ids = (statements) => statements.map((s) => s.id);
const sorted = (a) => [...a].sort();

async function main() {
  const saved = {};

  await checked("about", async () => {
    const { data } = await xapi.getAbout();
    expect(Array.isArray(data.version) && data.version.includes(cfg.version), `versions ${JSON.stringify(data.version)} lack ${cfg.version}`);
    return data.version.join(", ");
  });

  await checked("version-header", async () => {
    // Every answer names the version it was served as: the newest patch of the one asked for.
    const { headers } = await xapi.getStatements({ limit: 1 });
    const want = cfg.version.startsWith("1.0") ? "1.0.3" : "2.0.0";
    equal(headers["x-experience-api-version"], want, "X-Experience-API-Version");
  });

  await checked("statement.save", async () => {
    const { data } = await xapi.sendStatement({ statement: { actor: f.ana, verb: f.experienced, object: f.lesson } });
    expect(Array.isArray(data) && data.length === 1, `answer ${JSON.stringify(data)} is not one id`);
    saved.first = data[0];
    return saved.first;
  });

  await sleep(20); // the batch is stored strictly after the first statement
  await checked("statements.save-batch", async () => {
    const given = f.uuid();
    const { data } = await xapi.sendStatements({
      statements: [
        { actor: f.ana, verb: f.completed, object: f.lesson },
        { id: given, actor: f.ana, verb: f.experienced, object: f.quiz },
        { actor: f.ben, verb: f.completed, object: f.quiz },
      ],
    });
    expect(Array.isArray(data) && data.length === 3, `answer ${JSON.stringify(data)} is not three ids`);
    equal(data[1], given, "the id of the statement that had one");
    [saved.anaCompletedLesson, saved.anaExperiencedQuiz, saved.benCompletedQuiz] = data;
    return data.join(", ");
  });

  await checked("statement.retrieve", async () => {
    const { data: st } = await xapi.getStatement({ statementId: saved.first });
    equal(st.id, saved.first, "id");
    equal(st.actor.mbox, f.ana.mbox, "actor");
    equal(st.verb.id, f.experienced.id, "verb");
    equal(st.object.id, f.lesson.id, "object");
    expect(st.stored, "no stored timestamp");
    expect(st.authority, "no authority");
    saved.firstStored = st.stored;
    return `stored ${st.stored}`;
  });

  await checked("statements.query.agent", async () => {
    const { data } = await xapi.getStatements({ agent: f.ana });
    equal(sorted(ids(data.statements)), sorted([saved.first, saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements of ana");
  });

  await checked("statements.query.verb", async () => {
    const { data } = await xapi.getStatements({ verb: f.completed.id });
    equal(sorted(ids(data.statements)), sorted([saved.anaCompletedLesson, saved.benCompletedQuiz]), "completed statements");
  });

  await checked("statements.query.activity", async () => {
    const { data } = await xapi.getStatements({ activity: f.quiz.id });
    equal(sorted(ids(data.statements)), sorted([saved.anaExperiencedQuiz, saved.benCompletedQuiz]), "statements about the quiz");
  });

  await checked("statements.query.since", async () => {
    const { data } = await xapi.getStatements({ agent: f.ana, since: saved.firstStored });
    equal(sorted(ids(data.statements)), sorted([saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements of ana stored after the first");
  });

  await checked("statements.query.until", async () => {
    const { data } = await xapi.getStatements({ agent: f.ana, until: saved.firstStored });
    equal(ids(data.statements), [saved.first], "statements of ana stored up to the first");
  });

  await checked("statements.query.ascending", async () => {
    const { data } = await xapi.getStatements({ agent: f.ana, ascending: true, limit: 1 });
    equal(ids(data.statements), [saved.first], "the earliest statement of ana");
  });

  await checked("statements.query.limit-more", async () => {
    let { data } = await xapi.getStatements({ agent: f.ana, limit: 1 });
    expect(data.statements.length === 1, `first page has ${data.statements.length} statements, want 1`);
    const seen = ids(data.statements);
    let pages = 1;
    while (data.more) {
      expect(pages < 10, "more links do not end");
      ({ data } = await xapi.getMoreStatements({ more: data.more }));
      seen.push(...ids(data.statements));
      pages++;
    }
    equal(sorted(seen), sorted([saved.first, saved.anaCompletedLesson, saved.anaExperiencedQuiz]), "statements over all pages");
    return `${pages} pages`;
  });

  await checked("statement.void", async () => {
    const { data } = await xapi.voidStatement({ actor: f.ana, statementId: saved.first });
    expect(Array.isArray(data) && data.length === 1, `answer ${JSON.stringify(data)} is not one id`);
    saved.voiding = data[0];
    return saved.voiding;
  });

  await checked("statement.voided-not-retrievable-by-statementId", async () => {
    equal(await status(xapi.getStatement({ statementId: saved.first })), 404, "status of GET ?statementId= of a voided statement");
  });

  await checked("statement.retrieve-voided", async () => {
    const { data: st } = await xapi.getVoidedStatement({ voidedStatementId: saved.first });
    equal(st.id, saved.first, "id");
    equal(st.verb.id, f.experienced.id, "verb");
  });

  await checked("statements.query.excludes-voided", async () => {
    const { data } = await xapi.getStatements({ agent: f.ana });
    equal(sorted(ids(data.statements)), sorted([saved.anaCompletedLesson, saved.anaExperiencedQuiz, saved.voiding]), "statements of ana after voiding");
  });

  await stateChecks();
  await profileChecks("activity-profile", { activityId: f.lesson.id }, {
    set: (p) => xapi.setActivityProfile(p),
    merge: (p) => xapi.createActivityProfile(p),
    get: (p) => xapi.getActivityProfile(p),
    ids: (p) => xapi.getActivityProfiles(p),
    delete: (p) => xapi.deleteActivityProfile(p),
  });
  await profileChecks("agent-profile", { agent: f.ana }, {
    set: (p) => xapi.setAgentProfile(p),
    merge: (p) => xapi.createAgentProfile(p),
    get: (p) => xapi.getAgentProfile(p),
    ids: (p) => xapi.getAgentProfiles(p),
    delete: (p) => xapi.deleteAgentProfile(p),
  });

  await checked("activities.retrieve", async () => {
    const { data: a } = await xapi.getActivity({ activityId: f.lesson.id });
    equal(a.id, f.lesson.id, "id");
    equal(a.definition && a.definition.name, f.lesson.definition.name, "definition.name");
  });

  await checked("agents.retrieve", async () => {
    const { data: person } = await xapi.getAgent({ agent: f.ana });
    equal(person.objectType, "Person", "objectType");
    expect(Array.isArray(person.mbox) && person.mbox.includes(f.ana.mbox), `mbox ${JSON.stringify(person.mbox)} lacks ${f.ana.mbox}`);
    expect(Array.isArray(person.name) && person.name.includes(f.ana.name), `name ${JSON.stringify(person.name)} lacks ${f.ana.name}`);
  });
}

async function stateChecks() {
  const where = { agent: f.ana, activityId: f.lesson.id, registration: f.registration };
  const { registration, ...everyRegistration } = where;
  let since;

  await checked("state.set", async () => {
    await xapi.setState({ ...where, stateId: "bookmark", state: { page: 3, lang: "en" } });
  });

  await checked("state.get", async () => {
    const { data, headers } = await xapi.getState({ ...where, stateId: "bookmark" });
    equal(data, { page: 3, lang: "en" }, "contents");
    expect(headers.etag && headers.etag.startsWith('"'), `ETag ${headers.etag} is not a quoted entity tag`);
  });

  await checked("state.get-same-agent-without-name", async () => {
    // A document belongs to the agent's identifier, however the agent is written.
    const { data } = await xapi.getState({ ...where, agent: { mbox: f.ana.mbox }, stateId: "bookmark" });
    equal(data, { page: 3, lang: "en" }, "contents");
  });

  await sleep(20);
  since = new Date().toISOString();
  await sleep(20);
  await checked("state.get-text", async () => {
    await xapi.setState({ ...where, stateId: "progress", state: "50%", contentType: "text/plain" });
    const { data, headers } = await xapi.getState({ ...where, stateId: "progress" });
    equal(data, "50%", "contents");
    expect(headers["content-type"].startsWith("text/plain"), `Content-Type ${headers["content-type"]}`);
  });

  await checked("state.ids", async () => {
    const { data } = await xapi.getStates(where);
    equal(sorted(data), ["bookmark", "progress"], "state ids");
  });

  await checked("state.ids-since", async () => {
    const { data } = await xapi.getStates({ ...where, since });
    equal(data, ["progress"], `state ids since ${since}`);
  });

  await checked("state.ids-other-registration", async () => {
    const { data } = await xapi.getStates({ ...where, registration: f.uuid() });
    equal(data, [], "state ids under another registration");
  });

  await checked("state.ids-without-registration", async () => {
    // Communication 2.3: the ids of the activity and agent, narrowed to a registration only if one is given.
    const { data } = await xapi.getStates(everyRegistration);
    equal(sorted(data), ["bookmark", "progress"], "state ids without a registration");
  });

  await checked("state.merge-post", async () => {
    // createState POSTs, which merges a JSON object into the stored one.
    await xapi.createState({ ...where, stateId: "bookmark", state: { page: 4, seen: true } });
    const { data } = await xapi.getState({ ...where, stateId: "bookmark" });
    equal(data, { page: 4, lang: "en", seen: true }, "merged contents");
  });

  await checked("state.delete", async () => {
    await xapi.deleteState({ ...where, stateId: "progress" });
    equal(await status(xapi.getState({ ...where, stateId: "progress" })), 404, "status of GET of the deleted document");
    const { data } = await xapi.getStates(where);
    equal(data, ["bookmark"], "state ids");
  });

  await checked("state.delete-all", async () => {
    await xapi.deleteStates(where);
    const { data } = await xapi.getStates(where);
    equal(data, [], "state ids");
  });

  await checked("state.delete-all-without-registration", async () => {
    // Communication 2.3: a DELETE without a registration deletes the documents of every registration.
    await xapi.setState({ ...where, stateId: "bookmark", state: { page: 1 } });
    await xapi.deleteStates(everyRegistration);
    const { data } = await xapi.getStates(where);
    equal(data, [], "state ids under the registration");
  });
}

// profileChecks runs the same ETag checks on the Activity Profile and the Agent Profile
// resources; where names the activity or the agent.
async function profileChecks(name, where, api) {
  const id = { ...where, profileId: "settings" };
  let etag;
  const get = async () => {
    const { data, headers } = await api.get(id);
    return { data, etag: headers.etag };
  };

  await checked(`${name}.create`, async () => {
    await api.set({ ...id, profile: { theme: "dark" }, etag: "*", matchHeader: "If-None-Match" });
  });

  await checked(`${name}.get`, async () => {
    const p = await get();
    equal(p.data, { theme: "dark" }, "contents");
    expect(p.etag, "no ETag");
    etag = p.etag;
    return `ETag ${etag}`;
  });

  await checked(`${name}.update-with-etag`, async () => {
    await api.set({ ...id, profile: { theme: "light" }, etag, matchHeader: "If-Match" });
    const p = await get();
    equal(p.data, { theme: "light" }, "contents");
    expect(p.etag !== etag, "the ETag did not change with the content");
  });

  await checked(`${name}.update-with-stale-etag-rejected`, async () => {
    equal(await status(api.set({ ...id, profile: { theme: "blue" }, etag, matchHeader: "If-Match" })), 412, "status of a PUT with an old If-Match");
    equal((await get()).data, { theme: "light" }, "contents after the rejected update");
  });

  await checked(`${name}.create-existing-rejected`, async () => {
    equal(await status(api.set({ ...id, profile: { theme: "red" }, etag: "*", matchHeader: "If-None-Match" })), 412,
      "status of a PUT with If-None-Match: * on an existing document");
  });

  await checked(`${name}.merge-post`, async () => {
    const p = await get();
    await api.merge({ ...id, profile: { size: "large" }, etag: p.etag, matchHeader: "If-Match" });
    equal((await get()).data, { theme: "light", size: "large" }, "merged contents");
  });

  await checked(`${name}.ids`, async () => {
    const { data } = await api.ids(where);
    equal(data, ["settings"], "profile ids");
  });

  await checked(`${name}.delete-with-stale-etag-rejected`, async () => {
    equal(await status(api.delete({ ...id, etag })), 412, "status of a DELETE with an old If-Match");
    equal(await status(api.get(id)), 200, "status of GET of the document");
  });

  await checked(`${name}.delete`, async () => {
    const p = await get();
    await api.delete({ ...id, etag: p.etag });
    equal(await status(api.get(id)), 404, "status of GET of the deleted document");
  });
}

run(main);
