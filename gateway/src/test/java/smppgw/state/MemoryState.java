package smppgw.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;

/**
 * The state in memory, for testing rules without a disk: a {@link StateView} that applies {@link Change}s as they come
 * (as the store's open batch does) and keeps the ones that are not state (notifications, observations) to look at.
 */
public final class MemoryState implements StateView, Consumer<Change> {
    public final Map<String, Message> messages = new HashMap<>();
    public final Map<String, List<Event>> events = new HashMap<>();
    private final Map<String, String> refs = new HashMap<>();
    private final Map<String, Submitted> submitted = new HashMap<>();
    /** account NUL id → at: the index by time. */
    private final TreeMap<Long, List<String>> submittedAt = new TreeMap<>();
    private final Map<String, TreeMap<String, Parked>> parked = new HashMap<>();
    private final Map<String, LastSent> lastSent = new HashMap<>();
    private final Map<String, smppgw.model.ReadProfile> readProfiles = new HashMap<>();
    private final Map<String, PromoCode> codes = new HashMap<>();
    private final Map<String, TreeSet<String>> caps = new HashMap<>();
    /** list (a client's name, "null" for the gateway's) NUL number → where the number stands. */
    public final Map<String, smppgw.model.Consent> optOuts = new TreeMap<>();
    private final Map<String, TreeMap<Integer, Inbound>> moParts = new HashMap<>();
    public final Map<String, Inbound> inbound = new HashMap<>();
    private final Map<String, CampaignSettings> campaigns = new HashMap<>();
    public final TreeSet<String> schedule = new TreeSet<>();
    public final Map<String, List<String>> campaignIndex = new HashMap<>();
    public final Map<String, String> links = new HashMap<>();
    /** query_sm due: "operator at smscId" → the query. */
    public final Map<String, Change.Query> queries = new TreeMap<>();
    /** What was not a state change, in order. */
    public final List<Change> observed = new ArrayList<>();

    private static String key(String account, String id) {
        return account + '\u0000' + id;
    }

    @Override
    public Message message(String id) {
        return messages.get(id);
    }

    @Override
    public List<Event> events(String id) {
        return List.copyOf(events.getOrDefault(id, List.of()));
    }

    @Override
    public String byClientRef(String client, String clientRef) {
        return refs.get(client + '\u0000' + clientRef);
    }

    @Override
    public String reservation(String client, String clientRef) {
        return refs.get("\u0001" + client + '\u0000' + clientRef);
    }

    @Override
    public Submitted submitted(String account, String canonicalSmscId) {
        return submitted.get(key(account, canonicalSmscId));
    }

    @Override
    public List<Parked> parked(String account, String canonicalSmscId) {
        return List.copyOf(parked.getOrDefault(key(account, canonicalSmscId), new TreeMap<>()).values());
    }

    private final Map<String, smppgw.model.ReceiptIdFormat.Learning> idFormats = new HashMap<>();

    @Override
    public List<Expiring> parkedOf(String account) {
        List<Expiring> out = new ArrayList<>();
        new TreeMap<>(parked).forEach((k, ps) -> {
            if (k.startsWith(account + '\u0000')) {
                ps.values().forEach(p -> out.add(new Expiring(account, k.substring(account.length() + 1), null, p)));
            }
        });
        return out;
    }

    @Override
    public smppgw.model.ReceiptIdFormat.Learning idFormat(String account) {
        return idFormats.getOrDefault(account, smppgw.model.ReceiptIdFormat.Learning.NONE);
    }

    @Override
    public smppgw.model.ReadProfile readProfile(String key) {
        return readProfiles.get(key);
    }

    @Override
    public LastSent lastSent(String number, String sender) {
        return lastSent.get(number + '\u0000' + smppgw.model.PhoneNumber.stripPlus(sender));
    }

    @Override
    public PromoCode promoCode(String code) {
        return codes.get(code);
    }

    @Override
    public List<Long> capped(String to, long since) {
        return caps.getOrDefault(to, new TreeSet<>()).stream().map(s -> Long.parseLong(s.substring(0, 19)))
                .filter(t -> t >= since).toList();
    }

    @Override
    public smppgw.model.Consent consent(String client, String number) {
        return optOuts.get(client + '\u0000' + number);
    }

    @Override
    public List<Inbound> moParts(String key) {
        return List.copyOf(moParts.getOrDefault(key, new TreeMap<>()).values());
    }

    @Override
    public CampaignSettings campaign(String client, String campaign) {
        return campaigns.get(client + '\u0000' + campaign);
    }

    @Override
    public List<String> due(long now, int max) {
        return schedule.stream().filter(s -> Long.parseLong(s.substring(0, 19)) <= now).limit(max).map(s -> s.substring(20)).toList();
    }

    @Override
    public List<Expiring> submittedBefore(long before, int max) {
        List<Expiring> out = new ArrayList<>();
        submittedAt.headMap(before, false).values().forEach(keys -> keys.forEach(k -> {
            int nul = k.indexOf('\u0000');
            out.add(new Expiring(k.substring(0, nul), k.substring(nul + 1), submitted.get(k), null));
        }));
        return out.subList(0, Math.min(max, out.size()));
    }

    @Override
    public List<Expiring> parkedBefore(long before) {
        List<Expiring> out = new ArrayList<>();
        parked.forEach((k, ps) -> ps.values().stream().filter(p -> p.receivedAt() < before).forEach(p -> {
            int nul = k.indexOf('\u0000');
            out.add(new Expiring(k.substring(0, nul), k.substring(nul + 1), null, p));
        }));
        return out;
    }

    private static String timed(long at, String rest) {
        return String.format("%019d", at) + "\u0000" + rest;
    }

    @Override
    public void accept(Change c) {
        if (c instanceof Change.PutMessage p) {
            messages.put(p.message().id(), p.message());
        } else if (c instanceof Change.AddEvent a) {
            events.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(a.event());
        } else if (c instanceof Change.PutReservation r) {
            if (r.held() == null) {
                refs.remove("\u0001" + r.client() + '\u0000' + r.clientRef());
            } else {
                refs.put("\u0001" + r.client() + '\u0000' + r.clientRef(), r.held());
            }
        } else if (c instanceof Change.PutRef r) {
            refs.put(r.client() + '\u0000' + r.clientRef(), r.id());
        } else if (c instanceof Change.PutSubmitted s) {
            submitted.put(key(s.account(), s.canonicalSmscId()), s.target());
            submittedAt.computeIfAbsent(s.target().at(), t -> new ArrayList<>()).add(key(s.account(), s.canonicalSmscId()));
        } else if (c instanceof Change.DeleteSubmitted d) {
            submitted.remove(key(d.account(), d.canonicalSmscId()));
            List<String> at = submittedAt.get(d.at());
            if (at != null) {
            at.remove(key(d.account(), d.canonicalSmscId()));
            if (at.isEmpty()) {
                    submittedAt.remove(d.at());
            }
            }
        } else if (c instanceof Change.Park p) {
            parked.computeIfAbsent(key(p.account(), p.canonicalSmscId()), k -> new TreeMap<>())
                    .put(timed(p.receivedAt(), String.format("%019d", p.seq())), new Parked(p.receivedAt(), p.seq(), p.receipt()));
        } else if (c instanceof Change.Unpark u) {
            TreeMap<String, Parked> ps = parked.get(key(u.account(), u.canonicalSmscId()));
            if (ps != null) {
            ps.remove(timed(u.parked().receivedAt(), String.format("%019d", u.parked().seq())));
            if (ps.isEmpty()) {
                    parked.remove(key(u.account(), u.canonicalSmscId()));
            }
            }
        } else if (c instanceof Change.QueryDue q) {
            queries.put(q.operator() + " " + q.at() + " " + q.smscId(), q.query());
        } else if (c instanceof Change.DropQuery q) {
            queries.remove(q.operator() + " " + q.at() + " " + q.smscId());
        } else if (c instanceof Change.PutIdFormat f) {
            idFormats.put(f.account(), f.learning());
        } else if (c instanceof Change.Schedule s) {
            schedule.add(timed(s.at(), s.id()));
        } else if (c instanceof Change.Unschedule s) {
            schedule.remove(timed(s.at(), s.id()));
        } else if (c instanceof Change.IndexCampaign ic) {
            campaignIndex.computeIfAbsent(ic.campaign(), k -> new ArrayList<>()).add(ic.id());
        } else if (c instanceof Change.PutPromoCode p) {
            codes.put(p.code(), p.value());
        } else if (c instanceof Change.PutLink l) {
            links.put(l.token(), l.id() + " " + l.url());
        } else if (c instanceof Change.AddReadProfile rp) {
            readProfiles.merge(rp.key(), smppgw.model.ReadProfile.empty().add(rp.hour(), rp.ms(), rp.at()), (a, b) -> a.add(rp.hour(), rp.ms(), rp.at()));
        } else if (c instanceof Change.PutLastSent l) {
            lastSent.put(l.number() + '\u0000' + l.sender(), l.sent());
        } else if (c instanceof Change.CountCap cc) {
            caps.computeIfAbsent(cc.to(), k -> new TreeSet<>()).add(timed(cc.at(), cc.id()));
        } else if (c instanceof Change.PutConsent pc) {
            optOuts.put(pc.consent().client() + "\u0000" + pc.consent().number(), pc.consent());
        } else if (c instanceof Change.PutInbound i) {
            inbound.put(i.inbound().id(), i.inbound());
        } else if (c instanceof Change.PutMoPart p) {
            moParts.computeIfAbsent(p.key(), k -> new TreeMap<>()).put(p.seq(), p.part());
        } else if (c instanceof Change.DeleteMoParts d) {
            moParts.remove(d.key());
        } else if (c instanceof Change.PutCampaign pc) {
            campaigns.put(pc.settings().client() + '\u0000' + pc.settings().campaign(), pc.settings());
        } else {
            observed.add(c); // notifications, observations
        }
    }

    /** The observed changes of one kind. */
    public <T extends Change> List<T> observed(Class<T> type) {
        return observed.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
