-- A PostgreSQL schema written by the store of commit 97cc5cb (internal/postgres,
-- migrations 0001 and 0010), for TestLegacy: written by fixture/main.go
-- (see there) into the schema legacy_fixture, then dumped with
-- pg_dump --schema=legacy_fixture --inserts --no-owner --no-privileges, schema
-- qualifiers and psql meta-commands removed so that it restores into any
-- schema on the search_path.
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;



SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alerts; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE alerts (
    id bigint NOT NULL,
    job_id text NOT NULL,
    "row" integer NOT NULL,
    query_key text NOT NULL,
    identity text NOT NULL,
    member text NOT NULL,
    entity_id text NOT NULL,
    entity_version text NOT NULL,
    score double precision NOT NULL,
    query bytea,
    match bytea,
    status text NOT NULL,
    reviewer text DEFAULT ''::text NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    decided_at timestamp with time zone
);


--
-- Name: alerts_id_seq; Type: SEQUENCE; Schema: -; Owner: -
--

CREATE SEQUENCE alerts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: -; Owner: -
--

ALTER SEQUENCE alerts_id_seq OWNED BY alerts.id;


--
-- Name: audit; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE audit (
    seq bigint NOT NULL,
    "time" timestamp with time zone NOT NULL,
    actor text NOT NULL,
    member text DEFAULT ''::text NOT NULL,
    via text DEFAULT ''::text NOT NULL,
    action text NOT NULL,
    object text DEFAULT ''::text NOT NULL,
    detail text DEFAULT ''::text NOT NULL,
    prev text NOT NULL,
    hash text NOT NULL
);


--
-- Name: coalition_groups; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE coalition_groups (
    id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    version integer NOT NULL
);


--
-- Name: coalition_members; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE coalition_members (
    id text NOT NULL,
    country text NOT NULL,
    agency text NOT NULL,
    name text NOT NULL,
    region text DEFAULT ''::text NOT NULL,
    joined text DEFAULT ''::text NOT NULL,
    co_chair boolean DEFAULT false NOT NULL
);


--
-- Name: datasets; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE datasets (
    name text NOT NULL,
    version text NOT NULL,
    source text NOT NULL,
    imported_at timestamp with time zone NOT NULL
);


--
-- Name: group_leads; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE group_leads (
    group_id text NOT NULL,
    member_id text NOT NULL,
    pos integer NOT NULL
);


--
-- Name: group_members; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE group_members (
    group_id text NOT NULL,
    member_id text NOT NULL,
    pos integer NOT NULL
);


--
-- Name: group_partners; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE group_partners (
    group_id text NOT NULL,
    pos integer NOT NULL,
    partner text NOT NULL
);


--
-- Name: job_rows; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE job_rows (
    job_id text NOT NULL,
    n integer NOT NULL,
    key text NOT NULL,
    query bytea NOT NULL,
    result bytea,
    done boolean DEFAULT false NOT NULL
);


--
-- Name: jobs; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE jobs (
    id text NOT NULL,
    kind text NOT NULL,
    source text DEFAULT ''::text NOT NULL,
    owner text NOT NULL,
    member text NOT NULL,
    status text NOT NULL,
    threshold double precision NOT NULL,
    lim integer NOT NULL,
    total integer NOT NULL,
    done integer DEFAULT 0 NOT NULL,
    hits integer DEFAULT 0 NOT NULL,
    error text DEFAULT ''::text NOT NULL,
    meta text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE sessions (
    hash text NOT NULL,
    user_name text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: statements; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE statements (
    seq bigint NOT NULL,
    id text NOT NULL,
    entity_id text NOT NULL,
    schema text NOT NULL,
    prop text NOT NULL,
    value text NOT NULL,
    lang text DEFAULT ''::text NOT NULL,
    dataset text NOT NULL,
    source_ref text DEFAULT ''::text NOT NULL,
    contributed_by text DEFAULT ''::text NOT NULL,
    audience text NOT NULL,
    handling text NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    retracted boolean DEFAULT false NOT NULL
)
WITH (fillfactor='75');


--
-- Name: tokens; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE tokens (
    id text NOT NULL,
    user_name text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    scopes text[] DEFAULT '{}'::text[] NOT NULL,
    hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone
);


--
-- Name: users; Type: TABLE; Schema: -; Owner: -
--

CREATE TABLE users (
    name text NOT NULL,
    member text NOT NULL,
    roles text[] DEFAULT '{}'::text[] NOT NULL,
    password_hash text DEFAULT ''::text NOT NULL,
    disabled boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: alerts id; Type: DEFAULT; Schema: -; Owner: -
--

ALTER TABLE ONLY alerts ALTER COLUMN id SET DEFAULT nextval('alerts_id_seq'::regclass);


--
-- Data for Name: alerts; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO alerts VALUES (1, 'job-1', 0, 't1', 'ident', 'es', 'un-2', 'v1', 0.93, '\x7b226964223a227431222c226e616d65223a225365696620616c204164656c227d', '\x7b7d', 'dismissed', 'amina', 'different person', '2026-02-01 12:00:16.123472+00', '2026-02-01 12:00:18.123474+00');


--
-- Data for Name: audit; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO audit VALUES (1, '2026-02-01 12:00:03.123459+00', 'operator', '', 'cli', 'coalition.load', 'test', '2 members, 1 groups', '', 'a963b47cd21c31b9b802d78c02bf24398c7c77e6b828b4e88d724b40c6c30869');
INSERT INTO audit VALUES (2, '2026-02-01 12:00:05.123461+00', 'operator', '', 'cli', 'import', 'un', '+2 ~0 -0', 'a963b47cd21c31b9b802d78c02bf24398c7c77e6b828b4e88d724b40c6c30869', 'c71eb668b2add79af0a031326f85f9cd140d186cd2aeeeecf781e4281524d6ed');
INSERT INTO audit VALUES (3, '2026-02-01 12:00:07.123463+00', 'amina', 'es', 'api', 'contribute', 'es-1', '+1 ~0', 'c71eb668b2add79af0a031326f85f9cd140d186cd2aeeeecf781e4281524d6ed', 'c04f53f116fe33b4b07a9b9bc938dd6f7fa1e3dd7a0912975b0dc61be38c8105');
INSERT INTO audit VALUES (4, '2026-02-01 12:00:09.123465+00', 'operator', '', 'cli', 'user.create', 'amina', 'member=es roles=analyst,reviewer', 'c04f53f116fe33b4b07a9b9bc938dd6f7fa1e3dd7a0912975b0dc61be38c8105', 'd659490274052b4fc73f25e3466ef31372a8c590b5bdccad2f6e2bf5de5b7f65');
INSERT INTO audit VALUES (5, '2026-02-01 12:00:11.123467+00', 'operator', '', 'cli', 'token.create', 'tok1', 'user=amina scopes=read,match', 'd659490274052b4fc73f25e3466ef31372a8c590b5bdccad2f6e2bf5de5b7f65', '9a69fc58e48b27bb8bff24e51d40aa670a16b3460b047987d02407e69a0fe499');
INSERT INTO audit VALUES (6, '2026-02-01 12:00:13.123469+00', 'operator', '', 'cli', 'session.create', 'amina', '', '9a69fc58e48b27bb8bff24e51d40aa670a16b3460b047987d02407e69a0fe499', 'd1a7bf1c2a4e473883cea4223a1af4c371cc44a7ef43f368821d7e0d609a34b5');
INSERT INTO audit VALUES (7, '2026-02-01 12:00:15.123471+00', 'amina', 'es', 'api', 'job.create', 'job-1', 'csv 2 rows', 'd1a7bf1c2a4e473883cea4223a1af4c371cc44a7ef43f368821d7e0d609a34b5', '02310d8a2dae6c4337fa6448cc94539176277f74caa3b749594bc25a1484e075');
INSERT INTO audit VALUES (8, '2026-02-01 12:00:17.123473+00', 'amina', 'es', 'api', 'job.progress', 'job-1', '+1 rows +1 hits', '02310d8a2dae6c4337fa6448cc94539176277f74caa3b749594bc25a1484e075', 'ffc9d18db586f3661f8abf5c9465bc7bf23f371b9bc9edca8202ce2bae52f250');
INSERT INTO audit VALUES (9, '2026-02-01 12:00:19.123475+00', 'amina', 'es', 'api', 'alert.decide', '1', 'dismissed: different person', 'ffc9d18db586f3661f8abf5c9465bc7bf23f371b9bc9edca8202ce2bae52f250', 'd9708b4cb63cf6b6b736e5f26e3ac0f693e6c7b11d8e679659b0d8152b489941');
INSERT INTO audit VALUES (10, '2026-02-01 12:00:20.123476+00', 'amina', 'es', 'api', 'match', 'q1', '1 result', 'd9708b4cb63cf6b6b736e5f26e3ac0f693e6c7b11d8e679659b0d8152b489941', '420650493f4b7abce90e3e0aea7d27274e414c3b3dedb6479d0ff2cca9e4dceb');


--
-- Data for Name: coalition_groups; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO coalition_groups VALUES ('ctg', 'Central Asia', 'task_force', '', 1);


--
-- Data for Name: coalition_members; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO coalition_members VALUES ('es', 'ES', 'CNI', 'Spain', '', '', true);
INSERT INTO coalition_members VALUES ('uz', 'UZ', 'SGB', 'Uzbekistan', '', '', false);


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO datasets VALUES ('un', '2026-02-01', 'fixture', '2026-02-01 12:00:04.12346+00');


--
-- Data for Name: group_leads; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO group_leads VALUES ('ctg', 'uz', 0);


--
-- Data for Name: group_members; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO group_members VALUES ('ctg', 'es', 0);
INSERT INTO group_members VALUES ('ctg', 'uz', 1);


--
-- Data for Name: group_partners; Type: TABLE DATA; Schema: -; Owner: -
--



--
-- Data for Name: job_rows; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO job_rows VALUES ('job-1', 1, 't2', '\x7b226964223a227431222c226e616d65223a225365696620616c204164656c227d', NULL, false);
INSERT INTO job_rows VALUES ('job-1', 0, 't1', '\x7b226964223a227431222c226e616d65223a225365696620616c204164656c227d', '\x7b226964223a227431227d', true);


--
-- Data for Name: jobs; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO jobs VALUES ('job-1', 'csv', '', 'amina', 'es', 'queued', 0.8, 5, 2, 1, 1, '', '', '2026-02-01 12:00:14.12347+00', '2026-02-01 12:00:16.123472+00');


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO schema_migrations VALUES (1, '0001_init.sql', '2026-02-01 12:00:01.123457+00');
INSERT INTO schema_migrations VALUES (10, '0010_service.sql', '2026-02-01 12:00:02.123458+00');


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO sessions VALUES ('sess1', 'amina', '2026-02-01 12:00:12.123468+00', '2027-01-01 00:00:00+00');


--
-- Data for Name: statements; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO statements VALUES (1, '88b041646cee1ddd46c6beb017585f085105beb1', 'un-1', 'Person', 'name', 'Abu Bakr al-Baghdadi', '', 'un', 'un:un-1', '', 'public', 'CLEAR', '2026-02-01 12:00:04.12346+00', '2026-02-01 12:00:04.12346+00', false);
INSERT INTO statements VALUES (2, '4123d7605c91754c55cfcb162da9b08a00a9b623', 'un-1', 'Person', 'birthDate', '1971', '', 'un', 'un:un-1', '', 'public', 'CLEAR', '2026-02-01 12:00:04.12346+00', '2026-02-01 12:00:04.12346+00', false);
INSERT INTO statements VALUES (3, '378d6d6f3ce822f8e587c120d0f0cf2ee63c2f13', 'un-2', 'Person', 'name', 'Seif al Adel', '', 'un', 'un:un-2', '', 'public', 'CLEAR', '2026-02-01 12:00:04.12346+00', '2026-02-01 12:00:04.12346+00', false);
INSERT INTO statements VALUES (4, '9ff8c576c408bda85c37b3a20ae1c168a48a84af', 'es-1', 'Person', 'name', 'Hidden Person', '', 'member-es', '', 'es', 'member:es', 'AMBER', '2026-02-01 12:00:06.123462+00', '2026-02-01 12:00:06.123462+00', false);


--
-- Data for Name: tokens; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO tokens VALUES ('tok1', 'amina', 'gateway', '{read,match}', 'hash1', '2026-02-01 12:00:10.123466+00', '2027-01-01 00:00:00+00', NULL);


--
-- Data for Name: users; Type: TABLE DATA; Schema: -; Owner: -
--

INSERT INTO users VALUES ('amina', 'es', '{analyst,reviewer}', '$argon2id$fixture', false, '2026-02-01 12:00:08.123464+00');


--
-- Name: alerts_id_seq; Type: SEQUENCE SET; Schema: -; Owner: -
--

SELECT pg_catalog.setval('alerts_id_seq', 1, true);


--
-- Name: alerts alerts_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (seq);


--
-- Name: coalition_groups coalition_groups_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY coalition_groups
    ADD CONSTRAINT coalition_groups_pkey PRIMARY KEY (id);


--
-- Name: coalition_members coalition_members_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY coalition_members
    ADD CONSTRAINT coalition_members_pkey PRIMARY KEY (id);


--
-- Name: datasets datasets_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY datasets
    ADD CONSTRAINT datasets_pkey PRIMARY KEY (name);


--
-- Name: group_leads group_leads_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_leads
    ADD CONSTRAINT group_leads_pkey PRIMARY KEY (group_id, member_id);


--
-- Name: group_members group_members_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_members
    ADD CONSTRAINT group_members_pkey PRIMARY KEY (group_id, member_id);


--
-- Name: group_partners group_partners_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_partners
    ADD CONSTRAINT group_partners_pkey PRIMARY KEY (group_id, pos);


--
-- Name: job_rows job_rows_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY job_rows
    ADD CONSTRAINT job_rows_pkey PRIMARY KEY (job_id, n);


--
-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (hash);


--
-- Name: statements statements_id_key; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY statements
    ADD CONSTRAINT statements_id_key UNIQUE (id);


--
-- Name: statements statements_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY statements
    ADD CONSTRAINT statements_pkey PRIMARY KEY (seq);


--
-- Name: tokens tokens_hash_key; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY tokens
    ADD CONSTRAINT tokens_hash_key UNIQUE (hash);


--
-- Name: tokens tokens_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY tokens
    ADD CONSTRAINT tokens_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (name);


--
-- Name: alerts_job; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX alerts_job ON alerts USING btree (job_id, id);


--
-- Name: alerts_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX alerts_member ON alerts USING btree (member, status, id);


--
-- Name: alerts_pair; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX alerts_pair ON alerts USING btree (member, identity, entity_id, entity_version);


--
-- Name: audit_action; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX audit_action ON audit USING btree (action, seq);


--
-- Name: audit_actor; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX audit_actor ON audit USING btree (actor, seq);


--
-- Name: audit_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX audit_member ON audit USING btree (member, seq);


--
-- Name: group_leads_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX group_leads_member ON group_leads USING btree (member_id);


--
-- Name: group_members_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX group_members_member ON group_members USING btree (member_id);


--
-- Name: job_rows_pending; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX job_rows_pending ON job_rows USING btree (job_id, n) WHERE (NOT done);


--
-- Name: jobs_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX jobs_member ON jobs USING btree (member, created_at);


--
-- Name: jobs_status; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX jobs_status ON jobs USING btree (status, created_at);


--
-- Name: sessions_user; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX sessions_user ON sessions USING btree (user_name);


--
-- Name: statements_dataset; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX statements_dataset ON statements USING btree (dataset);


--
-- Name: statements_entity; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX statements_entity ON statements USING btree (entity_id, seq);


--
-- Name: tokens_user; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX tokens_user ON tokens USING btree (user_name, created_at);


--
-- Name: users_member; Type: INDEX; Schema: -; Owner: -
--

CREATE INDEX users_member ON users USING btree (member, name);


--
-- Name: alerts alerts_job_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY alerts
    ADD CONSTRAINT alerts_job_id_fkey FOREIGN KEY (job_id) REFERENCES jobs(id);


--
-- Name: group_leads group_leads_group_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_leads
    ADD CONSTRAINT group_leads_group_id_fkey FOREIGN KEY (group_id) REFERENCES coalition_groups(id) ON DELETE CASCADE;


--
-- Name: group_leads group_leads_member_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_leads
    ADD CONSTRAINT group_leads_member_id_fkey FOREIGN KEY (member_id) REFERENCES coalition_members(id);


--
-- Name: group_members group_members_group_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_members
    ADD CONSTRAINT group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES coalition_groups(id) ON DELETE CASCADE;


--
-- Name: group_members group_members_member_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_members
    ADD CONSTRAINT group_members_member_id_fkey FOREIGN KEY (member_id) REFERENCES coalition_members(id);


--
-- Name: group_partners group_partners_group_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY group_partners
    ADD CONSTRAINT group_partners_group_id_fkey FOREIGN KEY (group_id) REFERENCES coalition_groups(id) ON DELETE CASCADE;


--
-- Name: job_rows job_rows_job_id_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY job_rows
    ADD CONSTRAINT job_rows_job_id_fkey FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_user_name_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_user_name_fkey FOREIGN KEY (user_name) REFERENCES users(name);


--
-- Name: tokens tokens_user_name_fkey; Type: FK CONSTRAINT; Schema: -; Owner: -
--

ALTER TABLE ONLY tokens
    ADD CONSTRAINT tokens_user_name_fkey FOREIGN KEY (user_name) REFERENCES users(name);


--
-- PostgreSQL database dump complete
--


