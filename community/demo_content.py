"""The demo communities' products, conversations, reviews and photos, as plain data."""

EMBER = {
    "palette": {"top": "#f7efe6", "bottom": "#e4d3c1"},
    "products": [
        (
            "House Blend",
            "house-blend",
            "Chocolate, hazelnut, a little orange peel.",
            "bag",
            "#b4461f",
            "#2f2a44",
        ),
        (
            "Ethiopia Guji",
            "ethiopia-guji",
            "Bright and floral: jasmine, peach, bergamot.",
            "bag",
            "#e0a84b",
            "#6b3a1f",
        ),
        (
            "Ember Mug",
            "ember-mug",
            "Stoneware, 350 ml, keeps a flat white warm.",
            "mug",
            "#2f5d62",
            "#e0a84b",
        ),
    ],
    "topics": [
        {
            "kind": "question",
            "author": "dev",
            "title": "What grind size for the Guji on a V60?",
            "body": "I keep getting a **sour** cup with the Ethiopia Guji. 15 g to 250 g, "
            "medium-fine. What do you use?",
            "replies": [
                (
                    "alice",
                    "Go a notch finer and pour slower. Aim for **3:00** total; the Guji "
                    "needs a longer contact time than the House Blend.",
                ),
                ("bob", "Also check your water: 94 °C works better than just-off-the-boil for me."),
            ],
            "accept": 0,
            "votes": [(0, "gus"), (0, "fatima"), (1, "dev")],
        },
        {
            "kind": "discussion",
            "author": "fatima",
            "title": "Show us your morning setup",
            "body": "Post a photo of where the magic happens. Mine: a window, a hand "
            "grinder, and *far too many* mugs.",
            "replies": [
                ("gus", "Kettle, scale, Ember mug. That's it. Minimalism by laziness."),
                ("alice", "Mine is a camping stove on the balcony. Don't judge."),
            ],
            "votes": [(1, "dev")],
        },
        {
            "kind": "question",
            "author": "gus",
            "title": "How long do the beans stay fresh after opening?",
            "body": "Does the valve bag really matter, or should I move them to a jar?",
            "replies": [
                ("bob", "Two to four weeks in the bag, pressed flat. A jar doesn't beat it."),
            ],
            "votes": [(0, "gus")],
        },
    ],
    "reviews": [
        ("house-blend", "alice", 5, "My everyday bag", "Sweet, forgiving, great as espresso."),
        ("house-blend", "bob", 4, "Solid and cosy", "A bit dark for pour-over, lovely in milk."),
        ("house-blend", "gus", 5, "Never run out", "Subscription on repeat."),
        ("ethiopia-guji", "dev", 4, "Fruit bomb", "Peach and jasmine, dial it in carefully."),
        ("ember-mug", "fatima", 3, "Pretty, a bit heavy", "Holds heat well. Heavier than I hoped."),
    ],
    "photos": [
        ("fatima", "House Blend, fresh from Tuesday's roast", "house-blend", "bag"),
        ("alice", "Morning mug on the windowsill", "ember-mug", "mug"),
        ("dev", "The Guji bag I keep reaching for", "ethiopia-guji", "bag"),
        ("gus", "Second mug, same table", "ember-mug", "mug"),
    ],
    "featured_photo": 0,
    "report": ("dev", "photo", 3, "Looks like a duplicate of another photo."),
}

SUMMIT = {
    "palette": {"top": "#e8f1ee", "bottom": "#c9ddd6"},
    "products": [
        (
            "Ridge 2 Tent",
            "ridge-2-tent",
            "Two-person, 1.4 kg, pitches in four minutes.",
            "tent",
            "#1f6f5c",
            "#e76f51",
        ),
        (
            "Trail Boot",
            "trail-boot",
            "Waterproof mid boot with a grippy sole.",
            "boot",
            "#6d4c41",
            "#f4a261",
        ),
        (
            "Summit Bottle",
            "summit-bottle",
            "Insulated, 750 ml, dents proudly.",
            "bottle",
            "#264653",
            "#e9c46a",
        ),
    ],
    "topics": [
        {
            "kind": "question",
            "author": "eli",
            "title": "Is the Ridge 2 okay for windy ridgelines?",
            "body": "Planning a trip above the treeline in June. Gusts up to 50 km/h. "
            "Anyone pitched it in real wind?",
            "replies": [
                (
                    "bob",
                    "Yes, with all guy lines out and the narrow end into the wind. "
                    "Bring two extra stakes.",
                ),
                ("alice", "Mine flapped a lot but held. Earplugs recommended."),
            ],
            "accept": 0,
            "votes": [(0, "eli"), (0, "fatima")],
        },
        {
            "kind": "discussion",
            "author": "bob",
            "title": "Trip report: three days on the Crest Trail",
            "body": "Rain on day one, sunshine after. The **Trail Boots** stayed dry; my "
            "socks did not (user error).",
            "replies": [("eli", "Great report! How heavy was your pack?")],
            "votes": [(0, "alice")],
        },
    ],
    "reviews": [
        ("ridge-2-tent", "bob", 5, "Light and bombproof", "Survived a proper storm."),
        ("ridge-2-tent", "eli", 4, "Great weight", "Tight for two tall people."),
        ("trail-boot", "alice", 4, "Comfy from day one", "No break-in needed."),
        ("summit-bottle", "fatima", 5, "Ice after 24 h", "Really does keep things cold."),
    ],
    "photos": [
        ("bob", "Ridge 2 pitched at the lake", "ridge-2-tent", "tent"),
        ("eli", "Boots after the muddy descent", "trail-boot", "boot"),
        ("fatima", "Bottle on the summit cairn", "summit-bottle", "bottle"),
    ],
    "featured_photo": 0,
    "report": ("alice", "post", 1, "Reads like an advert, not a question."),
}

GLOW = {
    "palette": {"top": "#fbeef3", "bottom": "#efd3df"},
    "products": [
        (
            "Daily Cleanser",
            "daily-cleanser",
            "Gentle gel cleanser for every skin.",
            "bottle",
            "#a23b72",
            "#f1c0d6",
        ),
        (
            "Barrier Cream",
            "barrier-cream",
            "Rich, fragrance-free, ceramides.",
            "jar",
            "#f3d9e4",
            "#a23b72",
        ),
    ],
    "topics": [
        {
            "kind": "question",
            "author": "carmen",
            "title": "Can I use the Barrier Cream under sunscreen?",
            "body": "It's quite rich. Does it pill under SPF for anyone?",
            "replies": [
                ("alice", "Use a thin layer and wait five minutes. No pilling for me."),
                ("fatima", "I switch to it only at night in summer."),
            ],
            "accept": 0,
            "votes": [(0, "carmen")],
        },
        {
            "kind": "discussion",
            "author": "fatima",
            "title": "Three-step routines: share yours",
            "body": "Cleanser, serum, cream. What's your minimum viable routine?",
            "replies": [("carmen", "Cleanser, cream, SPF. Done in two minutes.")],
            "votes": [(0, "alice")],
        },
    ],
    "reviews": [
        ("daily-cleanser", "carmen", 5, "Finally no tightness", "Gentle, rinses clean."),
        ("barrier-cream", "alice", 4, "Winter saviour", "Heavy for summer days."),
        ("barrier-cream", "fatima", 5, "Calmed my cheeks", "Redness gone in a week."),
    ],
    "photos": [
        ("carmen", "Shelfie: the whole routine", "daily-cleanser", "bottle"),
        ("fatima", "Barrier Cream in good light", "barrier-cream", "jar"),
    ],
    "featured_photo": 1,
    "report": ("carmen", "review", 1, "This review reads like an advert."),
}

CONTENT = {"ember-roasters": EMBER, "summit-supply": SUMMIT, "glow-lab": GLOW}
