//! Incidents and their observables to one STIX 2.1 bundle.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};

use super::check::{self, CheckedIncident, CheckedObservable};
use super::ids::{self, ts, IdMaker};
use super::model::{ExportInput, IdentityIn};
use super::objects::*;
use super::observable::{self, Kind};
use super::vocab::Tlp;
use super::{StixError, StixErrorKind};

/// `created`/`modified` of identity objects: the input has no dates for
/// organisations, and a fixed time keeps re-exports identical.
fn identity_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Writes one STIX 2.1 bundle (compact JSON) holding the authority's
/// and reporting units' identities, the TLP 2.0 marking definitions in use,
/// and for each incident: the incident (Incident Core Extension), and per
/// observable an SCO, an observed-data, an indicator and a sighting, linked
/// by relationships. Ids are UUID v5 from `namespace_id` and the input keys
/// (SCO ids per STIX 2.1 section 2.9), so the same input always gives the
/// same bytes. The input is checked first; the error names the key and field.
pub fn export_bundle(input: &ExportInput) -> Result<Vec<u8>, StixError> {
    let bundle = prepare_bundle(input)?;
    // Reserving the whole size up front spares copying a growing buffer of tens of MiB.
    let mut out = Vec::with_capacity(bundle.estimated_bytes());
    bundle.write_to(&mut out)?;
    Ok(out)
}

/// A checked and built bundle, ready to be written: the split lets a server refuse bad input
/// before answering, then stream the JSON out while it is being serialised.
pub struct PreparedBundle {
    id: String,
    objects: Vec<Obj>,
}

/// Checks the input and builds every object of the bundle (see [`export_bundle`]).
pub fn prepare_bundle(input: &ExportInput) -> Result<PreparedBundle, StixError> {
    let incidents = check::input(input)?;
    let ids = IdMaker::new(input.namespace_id.trim());
    let objects = Builder::new(input, &incidents, ids).build();
    // Same input, same bundle id: derived from the input rather than from the (much larger)
    // output, which would cost a hash over every byte of a 1,000-incident bundle.
    let id = ids.id_of_bytes("bundle", format!("{input:?}").as_bytes());
    Ok(PreparedBundle { id, objects })
}

impl PreparedBundle {
    pub fn objects(&self) -> usize {
        self.objects.len()
    }

    /// A generous guess of the JSON size (about 470 bytes an object on average).
    pub fn estimated_bytes(&self) -> usize {
        4096 + self.objects.len() * 520
    }

    /// The bundle as compact JSON.
    pub fn write_to<W: std::io::Write>(&self, mut w: W) -> Result<(), StixError> {
        let fail = |e: &dyn std::fmt::Display| StixError::new(None, None, StixErrorKind::Serialize(e.to_string()));
        let id = serde_json::Value::String(self.id.clone());
        write!(w, "{{\"type\":\"bundle\",\"id\":{id},\"objects\":").map_err(|e| fail(&e))?;
        serde_json::to_writer(&mut w, &self.objects).map_err(|e| fail(&e))?;
        w.write_all(b"}\n").map_err(|e| fail(&e))
    }
}

struct Builder<'a> {
    input: &'a ExportInput,
    incidents: &'a [CheckedIncident<'a>],
    ids: IdMaker,
    authority_id: String,
    /// Identity key → (id, marking).
    identities: BTreeMap<&'a str, (String, Tlp)>,
    /// SCO id → strictest marking of the observables that use it.
    sco_tlp: HashMap<String, Tlp>,
    out: Vec<Obj>,
}

impl<'a> Builder<'a> {
    fn new(input: &'a ExportInput, incidents: &'a [CheckedIncident<'a>], ids: IdMaker) -> Self {
        let authority_id = ids.id("identity", input.authority.key.trim());
        Builder {
            input,
            incidents,
            ids,
            authority_id,
            identities: BTreeMap::new(),
            sco_tlp: HashMap::new(),
            out: Vec::new(),
        }
    }

    fn build(mut self) -> Vec<Obj> {
        self.plan_markings();
        self.identities_and_markings();
        let mut seen_obs: HashSet<&str> = HashSet::new();
        let mut seen_sco: HashSet<String> = HashSet::new();
        for inc in self.incidents {
            self.incident(inc);
            for o in &inc.observables {
                if seen_obs.insert(o.obs.key.trim()) {
                    self.observable(inc, o, &mut seen_sco);
                }
                self.incident_links(inc, o);
            }
        }
        self.related_incidents();
        self.out
    }

    fn common(&self, type_: &'static str, id: String, created: &DateTime<Utc>, modified: &DateTime<Utc>) -> Common {
        Common {
            type_,
            spec_version: "2.1",
            id,
            created_by_ref: self.authority_id.clone(),
            created: ts(created),
            modified: ts(modified),
        }
    }

    /// A reporting unit takes the strictest marking of the incidents it
    /// reported, the authority that of all incidents (TLP:CLEAR if none);
    /// an SCO shared by observables takes the strictest of theirs.
    fn plan_markings(&mut self) {
        let mut all = Tlp::Clear;
        for inc in self.incidents {
            for o in &inc.observables {
                let sco = sco_id(o.kind, &o.value);
                let e = self.sco_tlp.entry(sco).or_insert(o.tlp);
                *e = (*e).max(o.tlp);
            }
            all = all.max(inc.tlp);
            let unit = &inc.inc.reporting_unit;
            let id = self.ids.id("identity", unit.key.trim());
            let e = self.identities.entry(unit.key.trim()).or_insert((id, inc.tlp));
            e.1 = e.1.max(inc.tlp);
        }
        let auth_key = self.input.authority.key.trim();
        let id = self.authority_id.clone();
        let e = self.identities.entry(auth_key).or_insert((id, all));
        e.1 = e.1.max(all);
    }

    fn identity_obj(&self, who: &IdentityIn) -> Obj {
        let (id, tlp) = self
            .identities
            .get(who.key.trim())
            .cloned()
            .unwrap_or_else(|| (self.ids.id("identity", who.key.trim()), Tlp::Clear));
        let t = identity_time();
        Obj::Identity(Identity {
            common: self.common("identity", id, &t, &t),
            name: who.name.trim().to_string(),
            identity_class: who.identity_class.trim().to_string(),
            object_marking_refs: vec![tlp.marking_id()],
        })
    }

    fn identities_and_markings(&mut self) {
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let mut objs = vec![self.identity_obj(&self.input.authority)];
        done.insert(self.input.authority.key.trim());
        for inc in self.incidents {
            let unit = &inc.inc.reporting_unit;
            if done.insert(unit.key.trim()) {
                objs.push(self.identity_obj(unit));
            }
        }
        let mut used: BTreeSet<Tlp> = self.identities.values().map(|(_, t)| *t).collect();
        for inc in self.incidents {
            used.insert(inc.tlp);
            used.extend(inc.observables.iter().map(|o| o.tlp));
        }
        objs.extend(used.into_iter().map(|t| Obj::Marking(Marking::tlp(t))));
        self.out.extend(objs);
    }

    fn unit_tlp(&self, unit: &IdentityIn) -> Tlp {
        self.identities.get(unit.key.trim()).map_or(Tlp::Clear, |(_, t)| *t)
    }

    fn relationship(
        &self,
        rel: (&'static str, Option<&'static str>),
        source: &str,
        target: &str,
        times: (&DateTime<Utc>, &DateTime<Utc>),
        tlp: Tlp,
    ) -> Obj {
        let key = format!("{source}|{}|{target}", rel.0);
        Obj::Relationship(Relationship {
            common: self.common("relationship", self.ids.id("relationship", &key), times.0, times.1),
            relationship_type: rel.0,
            description: rel.1,
            source_ref: source.to_string(),
            target_ref: target.to_string(),
            object_marking_refs: vec![tlp.marking_id()],
        })
    }

    fn incident_id(&self, key: &str) -> String {
        self.ids.id("incident", key.trim())
    }

    fn incident(&mut self, inc: &CheckedIncident<'_>) {
        let i = inc.inc;
        let id = self.incident_id(&i.key);
        let obj = Incident {
            common: self.common("incident", id.clone(), &i.created, &i.modified),
            name: i.name.trim().to_string(),
            description: i.description.as_ref().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
            external_references: vec![ExternalReference {
                source_name: "khien",
                external_id: i.code.trim().to_string(),
            }],
            object_marking_refs: vec![inc.tlp.marking_id()],
            extensions: IncidentExtensions {
                core: IncidentCore {
                    extension_type: "property-extension",
                    determination: "suspected",
                    investigation_status: inc.status,
                    incident_types: inc.incident_types.clone(),
                    criticality: inc.criticality,
                },
            },
        };
        self.out.push(Obj::Incident(Box::new(obj)));
        let unit_id = self.ids.id("identity", i.reporting_unit.key.trim());
        let tlp = inc.tlp.max(self.unit_tlp(&i.reporting_unit));
        let rel =
            self.relationship(("related-to", Some("reporting unit")), &id, &unit_id, (&i.created, &i.modified), tlp);
        self.out.push(rel);
    }

    fn observable(&mut self, inc: &CheckedIncident<'_>, o: &CheckedObservable<'_>, seen_sco: &mut HashSet<String>) {
        let (created, modified) = (&inc.inc.created, &inc.inc.modified);
        let key = o.obs.key.trim();
        let marking = vec![o.tlp.marking_id()];
        let sco = sco_id(o.kind, &o.value);
        if seen_sco.insert(sco.clone()) {
            let tlp = self.sco_tlp.get(&sco).copied().unwrap_or(o.tlp);
            let hash = o.kind.hash_name();
            self.out.push(Obj::Sco(Sco {
                type_: observable::sco_type(o.kind, &o.value),
                spec_version: "2.1",
                id: sco.clone(),
                value: hash.is_none().then(|| o.value.clone()),
                hashes: hash.map(|h| BTreeMap::from([(h, o.value.clone())])),
                object_marking_refs: vec![tlp.marking_id()],
            }));
        }
        let observed_id = self.ids.id("observed-data", key);
        self.out.push(Obj::ObservedData(ObservedData {
            common: self.common("observed-data", observed_id.clone(), created, modified),
            first_observed: ts(&o.first),
            last_observed: ts(&o.last),
            number_observed: 1,
            object_refs: vec![sco],
            object_marking_refs: marking.clone(),
        }));
        let indicator_id = self.ids.id("indicator", key);
        self.out.push(Obj::Indicator(Indicator {
            common: self.common("indicator", indicator_id.clone(), created, modified),
            name: o.value.clone(),
            description: Some(
                o.obs
                    .source
                    .as_ref()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("Observable ({}) reported in an incident", o.kind.as_str())),
            ),
            indicator_types: vec!["malicious-activity"],
            pattern: observable::pattern(o.kind, &o.value),
            pattern_type: "stix",
            pattern_version: "2.1",
            valid_from: ts(&o.first),
            object_marking_refs: marking.clone(),
        }));
        let rel = self.relationship(("based-on", None), &indicator_id, &observed_id, (created, modified), o.tlp);
        self.out.push(rel);
        let unit_id = self.ids.id("identity", inc.inc.reporting_unit.key.trim());
        self.out.push(Obj::Sighting(Sighting {
            common: self.common("sighting", self.ids.id("sighting", key), created, modified),
            first_seen: ts(&o.first),
            last_seen: ts(&o.last),
            count: 1,
            sighting_of_ref: indicator_id,
            observed_data_refs: vec![observed_id],
            where_sighted_refs: vec![unit_id],
            object_marking_refs: marking,
        }));
    }

    /// incident related-to indicator and observed-data of an observable.
    fn incident_links(&mut self, inc: &CheckedIncident<'_>, o: &CheckedObservable<'_>) {
        let i = inc.inc;
        let incident_id = self.incident_id(&i.key);
        let tlp = inc.tlp.max(o.tlp);
        let times = (&i.created, &i.modified);
        for t in ["indicator", "observed-data"] {
            let target = self.ids.id(t, o.obs.key.trim());
            let rel = self.relationship(("related-to", None), &incident_id, &target, times, tlp);
            self.out.push(rel);
        }
    }

    /// One related-to per pair of related incidents of the export, from the
    /// one listed first.
    fn related_incidents(&mut self) {
        let index: HashMap<&str, usize> =
            self.incidents.iter().enumerate().map(|(n, c)| (c.inc.key.trim(), n)).collect();
        let mut done: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (a, inc) in self.incidents.iter().enumerate() {
            for other in &inc.inc.related {
                let Some(&b) = index.get(other.trim()) else {
                    continue;
                };
                if a == b || !done.insert((a.min(b), a.max(b))) {
                    continue;
                }
                let (Some(x), Some(y)) = (self.incidents.get(a.min(b)), self.incidents.get(a.max(b))) else {
                    continue;
                };
                let created = x.inc.created.max(y.inc.created);
                let modified = x.inc.modified.max(y.inc.modified);
                let rel = self.relationship(
                    ("related-to", None),
                    &self.incident_id(&x.inc.key),
                    &self.incident_id(&y.inc.key),
                    (&created, &modified),
                    x.tlp.max(y.tlp),
                );
                self.out.push(rel);
            }
        }
    }
}

fn sco_id(kind: Kind, value: &str) -> String {
    ids::sco_id(observable::sco_type(kind, value), &observable::sco_properties(kind, value))
}
