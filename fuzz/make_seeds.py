#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/: a few small, valid inputs per
target, taken from the shapes the unit and API tests use. Run again after changing it;
files are named after their content's purpose, so reruns overwrite instead of piling up.
The formats of the inputs are described at the top of each fuzz/<target>_fuzzer.cpp."""
import io
import json
import os
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, content):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def js(value):
    return json.dumps(value, ensure_ascii=False)


# --- CSV -----------------------------------------------------------------------------
CSVS = {
    "basic.csv": "phone_number,name,city\n+14155550123,Priya,Mumbai\n(415) 555-0124,Sam,Austin\n",
    "quoted.csv": 'phone_number,note\r\n"+14155550100","says ""hi"", twice"\r\n"+14155550101","two\nlines"\r\n',
    "semicolon.csv": "\ufeffphone_number;name;amount\n+4930123456;Jörg;1,5\n;Empty;\n",
    "tabs.csv": "phone_number\tname\n+442079460958\tAda\n\n+442079460959\tBob\t\t\n",
    "cr_only.csv": "phone_number,name\r+61212345678,Kim\r+61212345679,Lee\r",
}
for name, text in CSVS.items():
    put("csv", name, text)

# --- XLSX ----------------------------------------------------------------------------
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx_parts(sheet_data, shared=(), sheet_target="/xl/worksheets/leads.xml"):
    sst = "".join("<si>%s</si>" % s for s in shared)
    return [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>'),
        ("_rels/.rels",
         '<?xml version="1.0"?><Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PKG_RELS, REL_NS)),
        ("xl/workbook.xml",
         '<?xml version="1.0"?><workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="Leads" sheetId="1" r:id="rId7"/></sheets></workbook>' % (MAIN_NS, REL_NS)),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0"?><Relationships xmlns="%s"><Relationship Id="rId7" Type="%s/worksheet" Target="%s"/><Relationship Id="rId3" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (PKG_RELS, REL_NS, sheet_target, REL_NS)),
        ("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="%s">%s</sst>' % (MAIN_NS, sst)),
        ("xl/worksheets/leads.xml",
         '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (MAIN_NS, sheet_data)),
    ]


XLSX = {
    "shared_strings": xlsx_parts(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>1.4155550100E10</v></c><c r="B2" t="s"><v>2</v></c></row>',
        ["<t>phone_number</t>", "<t>name</t>", "<r><t>Pri</t></r><r><t>ya</t></r>"]),
    "inline_and_types": xlsx_parts(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>phone_number</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t xml:space="preserve"> vip </t></is></c></row>'
        '<row r="3"><c r="A3" t="str"><v>+14155550101</v></c><c r="C3" t="b"><v>1</v></c></row>'
        '<row><c t="e"><v>#N/A</v></c><c><v>45000.5</v></c></row>'),
    "relative_target": xlsx_parts(
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>phone_number</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2"><x:v>4155550102</x:v></x:c></x:row>',
        sheet_target="worksheets/../worksheets/leads.xml"),
}
for name, parts in XLSX.items():
    text = "".join("=== %s\n%s\n" % (part, content) for part, content in parts)
    put("xlsx", name + ".txt", text)
    # The same workbook as real zip bytes, for the raw-zip form.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts:
            z.writestr(part, content)
    put("xlsx", name + ".xlsx", buffer.getvalue())
with open(os.path.join(ROOT, "xlsx", "stored.xlsx"), "wb") as f:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for part, content in XLSX["shared_strings"]:
            z.writestr(part, content)
    f.write(buffer.getvalue())

# --- multipart -----------------------------------------------------------------------
MULTIPART = {
    "file_and_field": ("multipart/form-data; boundary=----XyZ",
                       '------XyZ\r\nContent-Disposition: form-data; name="skip_invalid"\r\n\r\ntrue\r\n'
                       '------XyZ\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\n'
                       'Content-Type: text/csv\r\n\r\nphone_number,name\r\n+14155550123,Priya\r\n------XyZ--\r\n'),
    "quoted_boundary_lf": ('multipart/form-data; boundary="a b;c"',
                           'preamble\n--a b;c\nContent-Disposition: form-data; name="a"\n\nline1\nline2\n--a b;c--\n'),
    "ext_filename": ("Multipart/Form-Data; charset=utf-8; boundary=xyz",
                     "--xyz\r\ncontent-disposition: form-data; name=\"file\"; filename*=UTF-8''l%C3%A9ads.csv\r\n\r\n"
                     "phone_number\r\n+14155550123\r\n--xyz \r\nContent-Disposition: form-data; name=\"x\\\"y\"\r\n\r\n\r\n--xyz--"),
}
for name, (header, body) in MULTIPART.items():
    put("multipart", name, header + "\n" + body)

# --- callback times ------------------------------------------------------------------
for i, (zone, text) in enumerate([
        ("America/New_York 2026-05-26T13:00:00Z", "3 PM"),
        ("America/New_York 2026-05-26T13:00:00Z", "next Tuesday 10:30 AM"),
        ("Europe/Berlin 2026-03-29T00:30:00Z", "tomorrow 2:30"),
        ("Asia/Kolkata 2026-05-26T13:00:00Z", "June 5, 2026 4:30 PM"),
        ("Australia/Sydney 2026-10-03T14:00:00Z", "05/06/2026 16:30"),
        ("UTC 2026-05-26T13:00:00Z", "in 2 hours"),
        ("America/Los_Angeles 2026-11-01T08:00:00Z", "evening 7"),
        ("America/New_York 2026-05-26T13:00:00Z", "2026-06-05T16:30:00-04:00")]):
    put("callback_time", "seed%d" % i, zone + "\n" + text)

# --- phone numbers -------------------------------------------------------------------
for i, (region, raw) in enumerate([
        ("US", "(415) 555-0100"), ("US", "+1 415 555 0100"), ("US", "0044 20 7946 0958"),
        ("GB", "020 7946 0958"), ("in", "098765 43210"), ("", "+61 2 1234 5678"),
        ("DE", "030 123456 ext. 7"), ("US", "1-800-FLOWERS")]):
    put("phone", "seed%d" % i, region + "\n" + raw)

# --- call reports --------------------------------------------------------------------
REPORTS = [
    {"event_type": "call_ended", "payload": {"call": {"id": "pc_1", "end_reason": "user_busy",
                                                      "metadata": {"call_id": "call_abc"}}}},
    {"call_id": "pc_2", "call_status": "ended", "disconnection_reason": "user_hangup",
     "duration_ms": 1500, "call_analysis": {"interest": "yes"}, "transcript": "Hello"},
    {"event": "call_started", "call": {"id": "pc_3", "status": "ongoing"}},
    {"id": "pc_4", "status": "no_answer"},
    {"call": {"idempotency_key": "wlead_1:node_1:1", "status": "ended", "duration_seconds": 42.5,
              "transcript": [{"role": "agent", "content": "Hi"}, {"role": "user", "content": "Bye"}],
              "postcall_analysis": {"callback_time": "tomorrow 4 PM"}}},
]
for i, report in enumerate(REPORTS):
    put("call_report", "seed%d.json" % i, js(report))

# --- URLs and targets ----------------------------------------------------------------
for i, url in enumerate(["https://hooks.example.com/lead?x=1", "http://127.0.0.1:8080/a",
                         "http://[::1]/", "https://user:pw@10.0.0.7:443/path",
                         "http://[::ffff:192.168.1.1]:80/", "https://93.184.216.34",
                         "http://100.64.0.1/cgnat", "https://[fd00::1]:8443/x"]):
    put("target_check", "seed%d" % i, url)
for i, target in enumerate(["/v1/workflows?page=2&limit=50", "/v1/workflows/wf_1/leads?skip_invalid=true",
                            "/v1/leads?status=active&q=a%20b+c#frag", "/v1/x?a=1&&b=%zz",
                            "/v1/%E2%9C%93/path?name=J%C3%B6rg&empty="]):
    put("url", "seed%d" % i, target)

# --- templates -----------------------------------------------------------------------
for i, (variables, text) in enumerate([
        ({"name": "Priya", "city": "Mumbai"}, "Hi {{name}}, calling about {{ city }}."),
        ({"name": "Sam"}, "https://api.example.com/leads?n={{lead.name}}&x={{missing}}"),
        ({"n": 3, "obj": {"a": [1, 2]}}, '{"count": {{n}}, "o": {{obj}}, "open": "{{"}'),
        ({}, "no placeholders at all }}")]):
    put("template", "seed%d" % i, js(variables) + "\n" + text)
# Variable bytes that are not UTF-8 (a Latin-1 CSV cell) after the NUL.
put("template", "raw_bytes", (js({"x": "1"}) + "\n{{raw}} and {{x}}\0").encode() + b"Jos\xe9 caf\xe9")

# --- JSON ----------------------------------------------------------------------------
for i, text in enumerate(['{"title": "Lead Nurture Sequence", "description": null, "settings": {"timezone": "UTC"}}',
                          '[1, -2.5e10, true, false, null, "\\u00e9\\ud83d\\ude00", {"a": [[]]}]',
                          '{"a":{"b":{"c":{"d":[1,{"e":{}}]}}}}', '"just a string"', '{"a":1,"a":2}']):
    put("json_parse", "seed%d.json" % i, text)

# --- node configs --------------------------------------------------------------------
NODES = [
    {"agent_id": "agt_1", "from_phone_number": "+14155550100", "max_attempts": 3,
     "retry_delay_minutes": 30, "retry_on": ["no_answer", "BUSY"], "agent_version_number": 2,
     "calling_window": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "20:00",
                        "blackout_dates": ["2026-12-25"]}},
    {"delay_minutes": 5, "delay_hours": 1},
    {"duration_value": 2, "duration_unit": "days"},
    {"time_source": "postcall_analysis", "pca_field": "callback_time", "fallback_minutes": 60},
    {"logic": "AND", "conditions": [{"field": "call_status", "operator": "equals", "value": "COMPLETED"},
                                    {"field": "lead.city", "operator": "contains", "value": "bai"}]},
    {"condition_field": "postcall_analysis.interest", "branches": ["yes", "no"]},
    {"provider_key": "leadline", "action_key": "set_variables",
     "action_config": {"variables": {"stage": "warm {{name}}"}}},
    {"provider_key": "http", "action_key": "request",
     "action_config": {"url": "https://api.example.com/x", "method": "POST",
                       "headers": {"X-Key": "1"}, "timeout_ms": 5000}},
    {"url": "https://hooks.example.com/lead", "method": "PUT", "timeout_ms": 120000},
    {"from_phone_number": "+14155550100", "message": "Hi {{name}}",
     "calling_window": {"start": "22:00", "end": "02:00", "days": ["sat", "sun"]}},
    {"event_types": ["replied", "meeting_booked"], "timeout_minutes": 4320},
    {"variants": [{"label": "A", "weight": 70}, {"label": "B", "weight": 30}]},
]
for i, config in enumerate(NODES):
    put("node_config", "seed%d.json" % i, js(config))

# --- workflow bodies -----------------------------------------------------------------
WORKFLOWS = [
    {"title": "Lead Nurture Sequence", "status": "draft",
     "settings": {"timezone": "America/New_York", "default_country": "US", "allow_reenrollment": False,
                  "max_concurrent_calls": 5,
                  "calling_window": {"days": ["mon", "fri"], "start": "09:00", "end": "20:00",
                                     "blackout_dates": ["2026-12-25"]}}},
    {"settings": {"timezone": "Europe/Berlin", "calling_window": None}, "action": "activate"},
    {"settings": {"calling_window": {"start": "22:00", "end": "02:00"}, "timezone": "Australia/Lord_Howe",
                  "variables": {"timezone": "Asia/Kolkata"}, "phone_number": "+14155550100"}},
    {"settings": {"timezone": "UTC", "calling_window": {"days": ["sun"], "blackout_dates": ["2026-05-31", "2026-06-07"]}},
     "status": "paused", "action": "resume"},
    {"settings": {"exit_rules": [{"event": "meeting_booked", "status": "completed"},
                                 {"event": "unsubscribed", "status": "dropped"}]},
     "type": "unsubscribed", "data": {"via": "sms"}},
]
for i, body in enumerate(WORKFLOWS):
    put("workflow_settings", "seed%d.json" % i, js(body))

# --- graphs --------------------------------------------------------------------------
VOICE = {"agent_id": "agt_1", "from_phone_number": "+14155550100"}
GRAPHS = [
    {"nodes": [{"id": "call", "type": "VOICE_CALL", "config": VOICE},
               {"id": "wait", "type": "TIME", "config": {"delay_minutes": 5}},
               {"id": "won", "type": "CONVERTED"}, {"id": "lost", "type": "DROPPED"}],
     "edges": [{"id": "e1", "from": "call", "to": "won", "label": "COMPLETED"},
               {"id": "e2", "from": "call", "to": "wait", "label": "DNP"},
               {"id": "e3", "from": "wait", "to": "lost"}]},
    {"nodes": [{"id": "c1", "type": "CONDITIONAL", "config": NODES[4]},
               {"id": "c2", "type": "CONDITIONAL", "config": NODES[5]}],
     "edges": [{"id": "e1", "from": "c1", "to": "c2", "label": "true"},
               {"id": "e2", "from": "c2", "to": "c1", "label": "yes"},
               {"id": "e3", "from": "c2", "to": "ghost"}]},
    {"nodes": [{"id": "a", "type": "WEBHOOK", "config": NODES[8]}, {"id": "b", "type": "SMS", "config": NODES[9]},
               {"id": "c", "type": "APPLICATION", "config": NODES[6]}, {"id": "d", "type": "DROPPED"}],
     "edges": [{"id": "e1", "from": "a", "to": "b", "label": "success"}, {"id": "e2", "from": "a", "to": "d", "label": "failure"},
               {"id": "e3", "from": "b", "to": "c"}, {"id": "e4", "from": "c", "to": "d", "label": "bogus"}]},
    {"nodes": [], "edges": []},
]
for i, graph in enumerate(GRAPHS):
    put("graph", "seed%d.json" % i, js(graph))

# --- conditions ----------------------------------------------------------------------
CONDITIONS = [
    {"config": NODES[4], "latest_call": {"status": "ended", "outcome": "COMPLETED", "duration_seconds": 42,
                                         "postcall_analysis": {"interest": "yes"}},
     "variables": {"city": "Mumbai"}, "call_attempts": 2, "field": "call.duration"},
    {"config": NODES[5], "latest_call": {"postcall_analysis": {"interest": " YES "}}, "field": "interest"},
    {"config": {"logic": "OR", "conditions": [
        {"field": "app.response.items.0.score", "operator": "greater_than", "value": 10},
        {"field": "app.status", "operator": "equals", "value": "success"},
        {"field": "lead.tag", "operator": "not_exists"}]},
     "app_result": {"status": "success", "response": {"items": [{"score": "12.5"}]}},
     "field": "app.response"},
    {"config": {"logic": "AND", "conditions": [{"field": "call.attempts", "operator": "less_than", "value": "3"}]},
     "call_attempts": 1, "variables": {"utm.source": "ads"}, "field": "lead.utm.source"},
]
for i, case in enumerate(CONDITIONS):
    put("conditions", "seed%d.json" % i, js(case))

# --- lead enrolment ------------------------------------------------------------------
LEADS = [
    ("application/json", js({"phone_number": "+14155550123", "dynamic_variables": {"name": "Priya", "city": "Mumbai"}})),
    ("application/json; charset=utf-8", js({"leads": [
        {"phone_number": "(415) 555-0124", "metadata": {"n": 3, "vip": True, "x": None}},
        {"phone_number": 14155550125}, {"phone_number": "not a phone"}, "oops",
        {"phone_number": "+14155550126", "dynamic_variables": {"nested": {"a": 1}}}]})),
    ("application/x-www-form-urlencoded", js({"leads": []})),
    ("multipart/form-data; boundary=----XyZ",
     '------XyZ\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\n'
     'Content-Type: text/csv\r\n\r\nphone_number,name,city\r\n+14155550123,Priya,Mumbai\r\n'
     '(415) 555-0124,Sam,\r\nbad,X,Y\r\n------XyZ--\r\n'),
    ("multipart/form-data; boundary=b",
     '--b\r\nContent-Disposition: form-data; name="file"; filename="leads.CSV"\r\n\r\n'
     'Phone_Number;name\r\n+4930123456;J\xc3\xb6rg\r\n--b--\r\n'),
    ("text/plain", "phone_number\n+14155550123\n"),
]
for i, (header, body) in enumerate(LEADS):
    put("lead_input", "seed%d" % i, header + "\n" + body)
# An XLSX upload inside multipart, as the dashboard sends it.
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    for part, content in XLSX["shared_strings"]:
        z.writestr(part, content)
put("lead_input", "seed_xlsx",
    b"multipart/form-data; boundary=zz\n--zz\r\nContent-Disposition: form-data; name=\"file\"; "
    b"filename=\"leads.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument."
    b"spreadsheetml.sheet\r\n\r\n" + buffer.getvalue() + b"\r\n--zz--\r\n")
