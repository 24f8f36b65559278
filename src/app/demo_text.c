/*
 * The demo paper's words: sections, staff and articles. All of it is our
 * own writing for this sample paper; the people, clubs, companies and
 * institutes named in it are invented, and public bodies appear only by
 * their titles. The ages spread the articles over three weeks, counted
 * back from the moment the demo is created.
 */
#include "app/demo_int.h"

#define AGO DEMO_MINUTES

const struct demo_section demo_sections[] = {
    {"national", "National", NULL, "News from across the country."},
    {"politics", "Politics", "national", "The National Assembly, the parties and the presidency."},
    {"society", "Society", "national", "Schools, health, housing and the way we live."},
    {"business", "Business", NULL, "Markets, companies and the economy."},
    {"culture", "Culture", NULL, "Books, film, music, food and the arts."},
    {"sports", "Sports", NULL, "Scores, seasons and the people who play."},
    {"opinion", "Opinion", NULL, "Editorials, columns and letters."},
};
const size_t demo_nsections = ARRAY_SIZE(demo_sections);

enum { HAN, MOORE, PARK, CHOI, BENNETT, YOON, OH, KANG };

const struct demo_author demo_authors[] = {
    [HAN] = {"han-seo-yeon", "Han Seo-yeon", "han.seoyeon@broadsheet.example",
             "Political correspondent",
             "Han Seo-yeon covers the National Assembly and the presidential office. She joined "
             "the paper in 2015 after six years on the city desk."},
    [MOORE] = {"daniel-moore", "Daniel Moore", "daniel.moore@broadsheet.example", "Business editor",
               "Daniel Moore writes about trade, shipbuilding and the companies that shape "
               "them. Before Seoul he reported from Singapore and Rotterdam."},
    [PARK] = {"park-ji-ho", "Park Ji-ho", "park.jiho@broadsheet.example", "Culture writer",
              "Park Ji-ho reviews books and films and reports on museums, music and food."},
    [CHOI] = {"choi-min-jun", "Choi Min-jun", "choi.minjun@broadsheet.example", "Sports reporter",
              "Choi Min-jun follows football, baseball and the national teams, home and away."},
    [BENNETT] = {"laura-bennett", "Laura Bennett", "laura.bennett@broadsheet.example",
                 "Social affairs reporter",
                 "Laura Bennett reports on housing, health, schools and transport, and on the "
                 "weather when it becomes news."},
    [YOON] = {"yoon-tae-kyung", "Yoon Tae-kyung", "yoon.taekyung@broadsheet.example",
              "Diplomatic correspondent",
              "Yoon Tae-kyung covers North Korea, the foreign ministry and the region's "
              "capitals."},
    [OH] = {"oh-eun-ji", "Oh Eun-ji", "oh.eunji@broadsheet.example", "Opinion editor",
            "Oh Eun-ji edits the opinion pages and writes the paper's editorials with the "
            "editorial board."},
    [KANG] = {"kang-bo-ra", "Kang Bo-ra", "kang.bora@broadsheet.example", "Economics reporter",
              "Kang Bo-ra writes about the central bank, jobs and prices, and builds the paper's "
              "charts and tables."},
};
const size_t demo_nauthors = ARRAY_SIZE(demo_authors);

const char *const demo_front[] = {"budget", "kcna", "exports", "housing", "exhibition", "final"};
const size_t demo_nfront = ARRAY_SIZE(demo_front);

const struct demo_correction demo_correction = {
    "exports",
    "An earlier version of this article said exports had risen for a fifth month in a row. "
    "They have risen for four months.",
    AGO(0, 3, 0),
};

const struct demo_article demo_articles[] = {
    /* --- Politics ------------------------------------------------------------ */
    {.key = "budget",
     .section = "politics",
     .author = HAN,
     .coauthor = -1,
     .photo = PH_ASSEMBLY,
     .age = AGO(0, 2, 10),
     .updated = AGO(0, 0, 55),
     .tags = "budget, National Assembly",
     .headline = "Assembly passes next year’s budget hours before the deadline",
     .summary = "Lawmakers approved a spending plan after a night of talks, with more money "
                "for child care and rural clinics and less for new roads.",
     .body = "Lawmakers approved next year’s budget in the early hours of Tuesday, ending a "
             "standoff between the two largest parties that had threatened to run past the "
             "legal deadline for the first time in four years.\n\n"
             "The final bill is slightly smaller than the government’s draft. Negotiators "
             "added money for child care and for clinics in rural counties, and cut spending "
             "on highway projects that the opposition said had not been properly assessed.\n\n"
             "“Nobody walked out of that room happy, which is usually how you know the deal "
             "is fair,” the ruling party’s chief negotiator told reporters as the session "
             "closed. The opposition floor leader called the result “a budget that buys time”.\n\n"
             "## What changes\n\n"
             "- Child-care vouchers rise by about a tenth from March.\n"
             "- A new fund pays for night staff at clinics in 40 rural counties.\n"
             "- Three highway projects are postponed for at least a year.\n"
             "- Spending on research grants stays flat after last year’s cut.\n\n"
             "## What comes next\n\n"
             "The finance ministry must publish a spending schedule within a month. Both parties "
             "said they would return to the harder question of pension reform in the spring "
             "session, though neither has set out a plan that the other could accept.\n\n"
             "Economists said the overall size of the budget would do little to change the "
             "direction of the economy next year, but welcomed the end of the uncertainty."},
    {.key = "kcna",
     .section = "politics",
     .author = YOON,
     .coauthor = -1,
     .credit = "KCNA via Yonhap",
     .photo = PH_BANQUET,
     .age = AGO(0, 6, 40),
     .tags = "North Korea, China, diplomacy",
     .headline = "North Korea’s leader sends Beijing warm words as ties thaw",
     .summary = "A congratulatory message carried by state media praises a new chapter in "
                "relations with China, the latest sign of Pyongyang cozying up to its biggest "
                "trading partner.",
     .body = "North Korea’s leader has sent China’s president a message of congratulations on "
             "the anniversary of the founding of the People’s Republic, the North’s official "
             "Korean Central News Agency (KCNA) reported on Tuesday, in the warmest terms "
             "Pyongyang has used towards Beijing in several years.\n\n"
             "According to KCNA, the message said relations between the two neighbours had "
             "entered “a period of fresh vigour” and promised to carry their friendship forward "
             "“in step with a new age”. It wished the Chinese people prosperity and praised the "
             "country’s economic development over seven decades.\n\n"
             "The message did not mention the North’s weapons programmes or the United Nations "
             "sanctions that China has supported in the past.\n\n"
             "## A change of tone\n\n"
             "The wording stands out against last year, when state media carried no message at "
             "all on the same anniversary, at a time when Beijing had signed on to a round of "
             "tougher sanctions. The note was printed on the front page of the ruling party’s "
             "newspaper, a placement usually kept for the most important news of the day.\n\n"
             "“This is Pyongyang cozying up to its most important neighbour at a moment when it "
             "wants more than one door open,” said Lim Jae-won, a researcher at the Institute "
             "for Peninsula Studies in Seoul. “It is talking to Washington, and it wants Beijing "
             "to know that it has not been forgotten.”\n\n"
             "The two leaders have met several times over the past year, and North Korean state "
             "media have covered each of those summits at length, with photographs of banquets "
             "and motorcades filling whole pages.\n\n"
             "Diplomats in Seoul are watching whether Beijing sends a senior official to "
             "Pyongyang in the coming weeks, which would confirm that relations have returned "
             "to their old footing. Cross-border trade, according to Chinese customs figures, has "
             "recovered slowly this year from its lows.\n\n"
             "The foreign ministry in Seoul declined to comment on the message itself, saying "
             "only that it hoped China would play “a constructive role” on the peninsula."},
    {.key = "map",
     .section = "politics",
     .author = HAN,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(3, 4, 25),
     .tags = "elections, National Assembly",
     .headline = "Parties agree to redraw the constituency map before the spring vote",
     .summary = "Two seats move from shrinking rural provinces to fast-growing towns south of "
                "the capital under a compromise reached in committee.",
     .body = "The main parties agreed on Friday to redraw the boundaries of a dozen "
             "constituencies before next spring’s general election, settling a dispute that "
             "had left candidates unsure which voters they would face.\n\n"
             "Under the compromise, two seats move from rural provinces whose populations have "
             "fallen below the legal minimum to new towns south of the capital, where thousands "
             "of families have moved in the past five years.\n\n"
             "Rural lawmakers from both parties had fought the change, arguing that a single "
             "member would now have to represent an area larger than some provinces. The "
             "committee agreed to give such members an extra office and staff allowance.\n\n"
             "The election commission said the new map would be published within two weeks. "
             "Candidates must register by the end of February."},
    {.key = "minister",
     .section = "politics",
     .author = HAN,
     .coauthor = MOORE,
     .photo = PH_CHART,
     .age = AGO(5, 2, 5),
     .tags = "cabinet, economy",
     .headline = "President names a former central banker as finance minister",
     .summary = "The nominee, known for warning about household debt, faces a confirmation "
                "hearing next week.",
     .body = "The president on Wednesday nominated Seo Kyung-mi, a former deputy governor of the "
             "central bank, as finance minister, replacing a minister who had held the post for "
             "just over two years.\n\n"
             "Ms. Seo, 58, spent most of her career at the central bank, where she was known "
             "inside and outside the building for speeches warning that household debt had grown "
             "too fast. She has taught economics at a university in Seoul since leaving the bank "
             "three years ago.\n\n"
             "The presidential office said she had been chosen to “steady the public finances "
             "while keeping growth alive”. The opposition said it would question her at the "
             "confirmation hearing about a report she wrote in favour of raising consumption "
             "taxes.\n\n"
             "The Assembly cannot block the appointment, but a hostile hearing can delay it and "
             "weaken a minister from the first day."},
    {.key = "turnout",
     .section = "politics",
     .author = HAN,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(9, 5, 30),
     .tags = "elections, local government",
     .headline = "Turnout worries grow as the local election campaign opens quietly",
     .summary = "Party officials and the election commission fear that fewer than half of "
                "voters will turn out for mayors and councils.",
     .body = "The campaign for mayors, governors and local councils opened on Thursday with "
             "few rallies, few posters and, according to the parties’ own polling, little "
             "interest among voters.\n\n"
             "The election commission said it would spend more on reminders by text message "
             "and on extra polling stations near train stations, after turnout at the last local "
             "elections fell to its lowest level in twenty years.\n\n"
             "“People know who their president is. Many of them could not tell you who runs "
             "their county,” said a campaign manager for one of the main parties, who asked not "
             "to be named because he was not authorised to discuss internal polls.\n\n"
             "Local councils decide on school buildings, bus routes and zoning, and control "
             "budgets that have grown by a third in ten years."},
    {.key = "defence",
     .section = "politics",
     .author = YOON,
     .coauthor = -1,
     .photo = PH_BANQUET,
     .age = AGO(12, 3, 15),
     .tags = "diplomacy, defence, Japan",
     .headline = "Seoul and Tokyo resume working-level defence talks after a year’s pause",
     .summary = "Officials met for a day in Tokyo and agreed to meet again in the new year, "
                "without announcing any agreement.",
     .body = "Defence officials from Seoul and Tokyo met on Monday for their first working-level "
             "talks in more than a year, the defence ministry said, in a sign that relations "
             "between the two neighbours continue to improve.\n\n"
             "The ministry described the talks as “frank and useful” and said the two sides had "
             "discussed the sharing of early-warning information about missile launches and the "
             "safety of ships and aircraft that operate close to each other.\n\n"
             "No agreement was announced. The delegations will meet again in Seoul in the new "
             "year.\n\n"
             "The talks were suspended last year after a dispute over a maritime incident. Both "
             "governments have since said that closer cooperation is in their interest, though "
             "public opinion in both countries remains wary."},
    {.key = "ethics",
     .section = "politics",
     .author = HAN,
     .coauthor = -1,
     .photo = PH_ASSEMBLY,
     .age = AGO(15, 6, 50),
     .tags = "National Assembly, ethics",
     .headline = "Lawmakers’ ethics bill stalls in committee over a disclosure rule",
     .summary = "A proposal to publish lawmakers’ outside income each quarter has split both "
                "parties.",
     .body = "A bill that would require members of the National Assembly to publish their "
             "outside income every three months stalled in committee on Tuesday, after members "
             "of both parties asked for more time to study it.\n\n"
             "Supporters say quarterly reports would make conflicts of interest easier to spot. "
             "Opponents say the current yearly report is enough and that the new rule would "
             "expose the private finances of lawmakers’ families.\n\n"
             "“Voters have a right to know who pays the people they elect,” said the bill’s "
             "sponsor, a first-term member from Incheon. A senior member of the committee said "
             "the bill “needs work, not a rush”.\n\n"
             "The committee will take the bill up again next month."},
    {.key = "liaison",
     .section = "politics",
     .author = YOON,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(18, 2, 40),
     .tags = "North Korea, unification",
     .headline = "North leaves the liaison line unanswered for a third week",
     .summary = "The unification ministry says its twice-daily calls have gone unanswered "
                "since the start of the month.",
     .body = "North Korea has not answered the inter-Korean liaison line for a third week in a "
             "row, the unification ministry said on Friday.\n\n"
             "Officials in Seoul call the North twice a day, at nine in the morning and at five "
             "in the afternoon, to check that the line works. A ministry spokesperson said the "
             "calls would continue.\n\n"
             "The North has cut the line several times in the past, usually at moments of "
             "tension, and restored it when it wanted to talk. The ministry said it did not know "
             "whether the silence was deliberate or the result of a technical fault."},

    /* --- Society ----------------------------------------------------------------- */
    {.key = "housing",
     .section = "society",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_SKYLINE,
     .age = AGO(1, 3, 20),
     .updated = AGO(0, 4, 0),
     .tags = "housing, young people",
     .headline = "Young renters face the longest wait yet for public housing",
     .summary = "Applicants under 35 now wait an average of 31 months for a flat, up from 19 "
                "months five years ago.",
     .body = "Young people applying for public rental housing in the capital region now wait "
             "an average of 31 months for a flat, according to figures released on Monday by "
             "the national housing agency, the longest wait since it began publishing the "
             "numbers.\n\n"
             "Five years ago, the average wait was 19 months. The agency said applications had "
             "risen faster than the number of new flats, and that fewer tenants were moving out "
             "because private rents had climbed.\n\n"
             "For applicants such as Jeon Ha-neul, a 28-year-old nurse who works night shifts at "
             "a hospital in Seoul, the wait means two more years in a room without a window.\n\n"
             "“I earn enough to pay rent, but not enough to pay rent and save,” she said. “The "
             "public flat is the only way I can imagine saving for anything.”\n\n"
             "## What the agency promises\n\n"
             "- 12,000 new flats for applicants under 35 over three years.\n"
             "- A points system that gives more weight to time already spent waiting.\n"
             "- An online tracker that shows each applicant’s place in the queue.\n\n"
             "Housing advocates said the new flats would barely keep up with demand and called "
             "for rules that limit rent increases on private contracts."},
    {.key = "heat",
     .section = "society",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_SCHOOL,
     .age = AGO(4, 7, 10),
     .tags = "education, weather",
     .headline = "Schools told to shorten outdoor classes as autumn heat lingers",
     .summary = "The education ministry issued its first heat guidance for October after "
                "temperatures stayed above 30 degrees in the south.",
     .body = "Schools in the southern provinces were told on Thursday to move physical "
             "education classes indoors or shorten them when the afternoon temperature rises "
             "above 30 degrees Celsius, the first such guidance the education ministry has "
             "issued in October.\n\n"
             "The weather agency said daytime temperatures in parts of the south had been five "
             "to seven degrees above the seasonal average for ten days.\n\n"
             "Head teachers welcomed the guidance but said many older school buildings lacked "
             "gymnasiums large enough for a whole class. Parents’ groups asked the ministry to "
             "pay for shade structures over playgrounds, a request it said it would consider in "
             "next year’s budget."},
    {.key = "clinics",
     .section = "society",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(6, 9, 0),
     .updated = AGO(6, 8, 0),
     .tags = "health, rural life",
     .headline = "Rural clinics turn to retired doctors to cover night shifts",
     .summary = "Counties are paying retired physicians to keep emergency rooms open after "
                "dark, a stopgap that health officials say cannot last.",
     .body = "In a county hospital two hours from the nearest city, the doctor on the night "
             "shift is 71 years old. He retired six years ago, and now works three nights a week "
             "because nobody younger applied for the job.\n\n"
             "Health officials say at least 30 rural hospitals rely on retired doctors to keep "
             "their emergency rooms open at night. Counties pay them more than twice the usual "
             "rate.\n\n"
             "“Without them, the nearest emergency room for a heart attack here is 90 minutes "
             "away,” said the hospital’s director, Baek Soon-ja. “We are grateful, and we are "
             "worried, because this is not a plan. It is luck.”\n\n"
             "The new budget includes a fund for night staff at rural clinics, which officials "
             "hope will attract younger doctors on fixed-term contracts.\n\n"
             "*This article was updated after the budget agreement.*"},
    {.key = "hangul",
     .section = "society",
     .author = BENNETT,
     .coauthor = PARK,
     .photo = PH_BOOKS,
     .age = AGO(8, 4, 45),
     .tags = "Hangul, language, government",
     .headline = "Volunteers take a plain-language campaign to government forms",
     .summary = "Ahead of Hangul Day, a group of retired teachers rewrites official letters so "
                "that anyone can read them.",
     .body = "Every Saturday morning, a dozen retired teachers meet in a library in Seoul with "
             "a pile of government forms and a red pen. Their aim is simple: to make official "
             "letters readable by anyone who finished primary school.\n\n"
             "The group calls itself 쉬운 말 모임, the Plain Words Circle. Its members began "
             "meeting three years ago, after one of them could not understand a tax notice sent "
             "to her own mother.\n\n"
             "“Many forms still use old legal phrases written in Chinese characters, or English "
             "words that nobody over 70 knows,” said Yoo Mi-ran, a former Korean-language "
             "teacher. “We are not against any language. We are for the reader.”\n\n"
             "Ahead of 한글날, Hangul Day, on October 9, the group sent the city its rewritten "
             "versions of twelve common letters. A city official said several would be adopted "
             "next year. The circle’s favourite example is a parking notice that once ran to 140 "
             "words; their version has 31.\n\n"
             "The circle now has members in Busan and Daejeon, and it meets online with "
             "volunteers who grew up abroad. Its newsletter opens with the same line every "
             "month: 서울에서 시작한 작은 모임, a small circle that started in Seoul."},
    {.key = "births",
     .section = "society",
     .author = KANG,
     .coauthor = -1,
     .photo = PH_CHART,
     .age = AGO(10, 2, 30),
     .tags = "population, births",
     .headline = "Births rise for a second quarter in a row, a first in nine years",
     .summary = "The increase is small, and demographers warn against reading too much into "
                "it, but the trend has not been up since the early 2010s.",
     .body = "The number of babies born in the country rose for a second quarter in a row, the "
             "statistics office said on Wednesday, the first such run in nine years.\n\n"
             "The rise is small. Demographers said it partly reflected a wave of weddings that "
             "had been postponed during the pandemic, and that it was too early to speak of a "
             "turning point.\n\n"
             "| Quarter | Births | Change on a year earlier |\n"
             "|---|---:|---:|\n"
             "| Last year, Q3 | 58,900 | −4.1% |\n"
             "| Last year, Q4 | 55,300 | −2.6% |\n"
             "| This year, Q1 | 62,100 | +0.8% |\n"
             "| This year, Q2 | 59,700 | +1.3% |\n\n"
             "*Source: statistics office; figures rounded to the nearest hundred.*\n\n"
             "The fertility rate, the average number of children a woman is expected to have, "
             "remains among the lowest in the world. The government has spent heavily on "
             "parental leave and housing for young families, with mixed results."},
    {.key = "nightbus",
     .section = "society",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_RAIL,
     .age = AGO(13, 8, 5),
     .tags = "transport, Seoul",
     .headline = "Night buses to run later as the capital extends weekend service",
     .summary = "Seven night routes will run until five in the morning on Fridays and "
                "Saturdays from next month.",
     .body = "The capital will extend seven night bus routes until five in the morning on "
             "Fridays and Saturdays from next month, city officials said on Monday, after "
             "complaints that late-shift workers were left without a ride home.\n\n"
             "The routes link the city centre with the outer districts and with two of the "
             "busiest hospital areas. Buses will run every 20 minutes.\n\n"
             "Cleaners, nurses and restaurant staff make up most night riders, according to a "
             "city survey. “The last bus used to leave before my shift ended,” said a hospital "
             "cleaner who takes the N26. “Taxis cost a day’s pay.”"},
    {.key = "dust",
     .section = "society",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_MOUNTAINS,
     .age = AGO(17, 5, 55),
     .tags = "air quality, environment, health",
     .headline = "Fine-dust warnings return early to the capital region",
     .summary = "Officials urged older people and children to limit time outdoors as "
                "particle levels reached the ‘very bad’ band.",
     .body = "Fine-dust warnings were issued for the capital region on Sunday, about three "
             "weeks earlier than usual, as still air trapped pollution over the area.\n\n"
             "The environment ministry asked older people, children and those with heart or "
             "lung conditions to limit time outdoors and to wear masks rated for fine "
             "particles. Public car parks limited vehicles by licence-plate number.\n\n"
             "Forecasters said a cold front on Tuesday would clear the air."},

    /* --- National ------------------------------------------------------------------ */
    {.key = "typhoon",
     .section = "national",
     .author = BENNETT,
     .coauthor = CHOI,
     .photo = PH_HARBOUR,
     .age = AGO(2, 1, 35),
     .updated = AGO(0, 3, 10),
     .tags = "weather, typhoon",
     .headline = "Typhoon weakens off the southern coast, but ferries stay in port",
     .summary = "Heavy rain closed mountain roads and cancelled flights to the island of "
                "Jeju, and one fishing boat is missing.",
     .body = "A typhoon weakened into a tropical storm as it passed the southern coast on "
             "Wednesday, but heavy rain closed mountain roads and kept ferries and many flights "
             "to and from Jeju on the ground, officials said.\n\n"
             "The coast guard said it was searching for a fishing boat with three crew members "
             "that stopped answering the radio on Tuesday evening south of the island.\n\n"
             "The weather agency recorded more than 300 millimetres of rain in parts of the "
             "southern mountains in 24 hours. About 1,200 people spent the night in shelters.\n\n"
             "## Updates\n\n"
             "- Ferries to Jeju are expected to resume on Thursday morning.\n"
             "- Airlines said most flights would leave on time from Thursday noon.\n"
             "- Schools in two southern counties will stay closed for one more day.\n\n"
             "*Updated with the latest ferry and flight schedules.*"},
    {.key = "railstrike",
     .section = "national",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_RAIL,
     .age = AGO(7, 10, 20),
     .tags = "rail, labour, transport",
     .headline = "Rail union and operator reach a deal, calling off Friday’s strike",
     .summary = "The agreement raises pay by 3.1 percent and adds staff on night maintenance "
                "crews.",
     .body = "The national rail operator and its largest union reached an agreement late on "
             "Wednesday, calling off a strike that would have cancelled about a third of "
             "intercity trains from Friday.\n\n"
             "The deal raises pay by 3.1 percent and adds 200 workers to night maintenance "
             "crews, which the union said were dangerously short of staff. The operator said the "
             "agreement was “within what passengers can afford”.\n\n"
             "Union members will vote on the deal next week. Trains will run normally until "
             "then."},
    {.key = "wildfire",
     .section = "national",
     .author = BENNETT,
     .coauthor = -1,
     .photo = PH_MOUNTAINS,
     .age = AGO(19, 6, 0),
     .tags = "wildfire, environment",
     .headline = "Crews contain a mountain fire after a dry fortnight in the east",
     .summary = "The fire burned about 80 hectares of forest; no one was hurt, and 140 "
                "residents have returned home.",
     .body = "Firefighters contained a forest fire in the eastern mountains on Saturday after "
             "a day and a night of work by more than 600 people and 30 helicopters, the forest "
             "service said.\n\n"
             "The fire burned about 80 hectares. No one was hurt, and 140 residents who had "
             "left two villages were allowed to go home on Saturday afternoon.\n\n"
             "The region had had almost no rain for two weeks. Investigators are examining "
             "whether the fire began at a farm where dry leaves were being burned."},

    /* --- Business ------------------------------------------------------------------- */
    {.key = "exports",
     .section = "business",
     .author = MOORE,
     .coauthor = KANG,
     .photo = PH_HARBOUR,
     .age = AGO(0, 9, 15),
     .tags = "exports, semiconductors, shipping",
     .headline = "Exports rise for a fourth month on chip demand, but shipping costs bite",
     .summary = "Semiconductor sales abroad jumped by a fifth, while higher freight rates "
                "squeezed smaller exporters.",
     .body = "Exports rose for a fourth month in a row in September, the trade ministry said on "
             "Monday, lifted by strong demand for memory chips from makers of data-centre "
             "equipment.\n\n"
             "Total exports grew 6.2 percent from a year earlier. Imports rose 2.4 percent, "
             "leaving a trade surplus for the fifth month this year.\n\n"
             "| Sector | September exports | Change on a year earlier |\n"
             "|---|---:|---:|\n"
             "| Semiconductors | $11.8 billion | +21.4% |\n"
             "| Cars | $5.6 billion | +3.0% |\n"
             "| Petrochemicals | $3.9 billion | −6.8% |\n"
             "| Steel | $2.7 billion | −4.5% |\n"
             "| Ships | $2.1 billion | +12.9% |\n\n"
             "Smaller exporters told a different story. Freight rates on routes to Europe have "
             "almost doubled since the spring, and several makers of machine parts said they had "
             "delayed orders rather than pay them.\n\n"
             "“The headline number looks fine, and it is mostly chips,” said Song Ye-jin, an "
             "economist at Hanul Securities. “Take chips out and the picture is flat.”\n\n"
             "The ministry expects exports to keep growing through the end of the year, though "
             "more slowly."},
    {.key = "rates",
     .section = "business",
     .author = KANG,
     .coauthor = -1,
     .photo = PH_CHART,
     .age = AGO(1, 8, 0),
     .tags = "central bank, interest rates, inflation",
     .headline = "Central bank holds rates and signals patience on inflation",
     .summary = "The governor said the board wanted to see prices slow for several more months "
                "before cutting.",
     .body = "The central bank kept its benchmark interest rate unchanged on Thursday for the "
             "sixth meeting in a row, and its governor said the board would need to see "
             "inflation slow for “several more months” before it considered a cut.\n\n"
             "Consumer prices rose 2.9 percent in the year to September, down from a peak of "
             "more than 6 percent, but still above the bank’s 2 percent target.\n\n"
             "Two of the seven board members said they were open to a cut within three months, "
             "the governor told a news conference, the first time this year that any members had "
             "said so.\n\n"
             "Household debt remains the bank’s main worry. Mortgage lending rose faster in the "
             "summer than at any time in two years, as buyers returned to the housing market "
             "in the capital."},
    {.key = "shipyards",
     .section = "business",
     .author = MOORE,
     .coauthor = -1,
     .photo = PH_HARBOUR,
     .age = AGO(4, 2, 50),
     .tags = "shipbuilding, industry",
     .headline = "Shipbuilders’ order books fill up to 2029",
     .summary = "Demand for gas carriers and cleaner-fuel ships has left yards short of welders "
                "rather than work.",
     .body = "The country’s large shipyards have enough orders to keep their docks busy until "
             "2029, industry figures show, as shipping companies replace old vessels with ships "
             "that can run on cleaner fuels.\n\n"
             "The problem now is people. Yards say they need about 14,000 more welders, "
             "painters and electricians, and have begun recruiting abroad and offering housing "
             "to young workers.\n\n"
             "“Ten years ago we had workers and no orders. Now we have orders and no workers,” "
             "said Ahn Dong-hyun, who runs a supplier of steel blocks to two yards on the south "
             "coast.\n\n"
             "Prices for new ships are near their highest in fifteen years, which analysts say "
             "should keep the yards profitable even as wages rise."},
    {.key = "venture",
     .section = "business",
     .author = KANG,
     .coauthor = -1,
     .photo = PH_SKYLINE,
     .age = AGO(6, 4, 10),
     .tags = "startups, investment",
     .headline = "Venture funding slows as investors favour later-stage firms",
     .summary = "First rounds for new companies fell by a third in the first nine months of "
                "the year.",
     .body = "Venture investment in new companies fell by about a third in the first nine "
             "months of the year, according to an industry association, as investors put their "
             "money into fewer, older firms that are closer to making a profit.\n\n"
             "Founders said the change was visible in every meeting. “Two years ago they asked "
             "how fast we could grow. Now they ask when we will stop losing money,” said the "
             "founder of a logistics software company in Pangyo.\n\n"
             "The government has promised to add money to its funds of funds next year, and to "
             "make it easier for pension funds to invest in venture capital."},
    {.key = "won",
     .section = "business",
     .author = KANG,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(8, 9, 40),
     .tags = "currency, markets",
     .headline = "The won slips against the dollar as exporters hold back",
     .summary = "The currency touched its weakest level in seven months before the finance "
                "ministry warned against ‘one-sided moves’.",
     .body = "The won fell to its weakest level against the dollar in seven months on Tuesday, "
             "as exporters held on to their dollar earnings and foreign investors sold local "
             "shares.\n\n"
             "The finance ministry said it was watching for “one-sided moves” in the market, "
             "wording that traders read as a warning that the authorities could step in. The "
             "currency recovered some of its losses in the afternoon.\n\n"
             "A weaker won helps exporters but raises the cost of imported fuel and food."},
    {.key = "foodhalls",
     .section = "business",
     .author = MOORE,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(11, 7, 25),
     .tags = "retail",
     .headline = "Department stores bet on food halls as clothing sales fade",
     .summary = "Stores are giving whole floors to bakeries and noodle counters to bring "
                "shoppers back through the doors.",
     .body = "The country’s big department stores are turning their basements, and in some "
             "cases whole floors, into food halls, hoping that people who come for a famous "
             "bakery will stay to buy a coat.\n\n"
             "Clothing sales at department stores have fallen for three years as shoppers move "
             "online, while food sales have grown. One chain said visitors to its renovated "
             "flagship store rose by a quarter after it opened a food floor with 60 counters.\n\n"
             "Small restaurant owners say the stores’ rents are high and their contracts short, "
             "but that the crowds make it worth the risk."},
    {.key = "batteries",
     .section = "business",
     .author = MOORE,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(14, 3, 0),
     .tags = "batteries, electric cars, industry",
     .headline = "Battery makers slow plant plans as electric-car sales cool",
     .summary = "Two producers have pushed back new factories abroad by a year, citing weaker "
                "demand and price competition.",
     .body = "Two of the country’s battery makers said this week that they would delay new "
             "factories abroad by about a year, after carmakers cut their forecasts for "
             "electric-car sales.\n\n"
             "The companies said the delays were temporary and that they still expected demand "
             "to grow strongly later in the decade. Both are also under pressure from cheaper "
             "batteries made with a different chemistry.\n\n"
             "Shares in both companies have fallen by more than a third this year."},
    {.key = "youthjobs",
     .section = "business",
     .author = KANG,
     .coauthor = -1,
     .photo = PH_CHART,
     .age = AGO(16, 2, 20),
     .tags = "jobs, young people",
     .headline = "Youth employment edges up, but part-time work drives the gain",
     .summary = "More people aged 15 to 29 have jobs than a year ago, but fewer of them work "
                "full time.",
     .body = "The share of people aged 15 to 29 with a job rose slightly in September from a "
             "year earlier, the statistics office said, but the gain came entirely from "
             "part-time work.\n\n"
             "The number of young people working fewer than 36 hours a week rose by 68,000, "
             "while full-time jobs for the group fell by 41,000.\n\n"
             "Economists said some of the shift reflected students working while studying, but "
             "that many young graduates were taking part-time jobs while they waited for "
             "full-time offers."},

    /* --- Culture ---------------------------------------------------------------------- */
    {.key = "exhibition",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_GALLERY,
     .age = AGO(0, 20, 30),
     .tags = "exhibitions, art, Seoul",
     .headline = "An exhibition turns a century of shop signs into a street of light",
     .summary = "Old painted signboards from the capital’s markets hang in a dark hall, lit "
                "one by one, in the season’s most talked-about show.",
     .body = "The first thing a visitor sees is darkness. Then, one at a time, old shop signs "
             "light up: a tailor’s, a rice shop’s, a photo studio’s, each painted by hand and "
             "rescued from a building that no longer stands.\n\n"
             "The exhibition, 「빛의 거리」 (Street of Light), gathers 120 signboards made "
             "between the 1920s and the 1990s. Most came from markets and side streets that "
             "were cleared for new buildings. The curators found some in scrapyards and one in "
             "a family’s attic.\n\n"
             "“A sign is a promise,” said the curator, Noh Seung-ah. “It says: we are here, we "
             "will be here tomorrow. Most of these promises were kept for thirty or forty "
             "years.”\n\n"
             "Visitors have queued for up to two hours at weekends. Among the reviews written "
             "in the visitors’ book, one line has been quoted so often that the museum printed "
             "it on its posters: 서울에서 열린 전시회 가운데 가장 조용하고 가장 밝은 전시, "
             "“the quietest and brightest exhibition ever held in Seoul”.\n\n"
             "## If you go\n\n"
             "- Open Tuesday to Sunday, 10 a.m. to 8 p.m., until the end of February.\n"
             "- Tickets are free but must be booked online for weekends.\n"
             "- The last room, with the neon signs, is not suitable for people sensitive to "
             "flashing light."},
    {.key = "novel",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_BOOKS,
     .age = AGO(3, 9, 15),
     .tags = "books, fiction",
     .headline = "A quiet debut novel about a seaside bakery finds a loud following",
     .summary = "Word of mouth has turned a first novel, printed in a run of 3,000 copies, into "
                "the surprise best seller of the season.",
     .body = "Nobody expected much of a first novel about a bakery in a fishing town. Its "
             "publisher printed 3,000 copies and sent no author on tour.\n\n"
             "Six weeks later, 『바닷가 빵집』 (The Seaside Bakery) tops the best-seller lists, "
             "carried by readers who pass it on and by booksellers who press it into customers’ "
             "hands. It is now in its ninth printing.\n\n"
             "The author, Min Ha-rin, is a former pastry cook who wrote the book at night over "
             "four winters. The story follows a widow who keeps her husband’s bakery open for a "
             "town that is slowly emptying.\n\n"
             "> “I wanted to write about people who stay,” Ms. Min said. “Most stories are "
             "about people who leave.”\n\n"
             "An English translation is planned for next year."},
    {.key = "festival",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(5, 6, 30),
     .tags = "film, festivals",
     .headline = "Film festival opens with a slow, tender portrait of a ferry captain",
     .summary = "The opening film, shot over four seasons on a single island route, drew a "
                "long standing ovation.",
     .body = "The city’s international film festival opened on Thursday with a film in which "
             "very little happens, and the audience loved it.\n\n"
             "“The Last Crossing” follows a ferry captain in the final year before his route "
             "is replaced by a bridge. The director filmed over four seasons on the real "
             "ferry, with passengers who agreed to appear as themselves.\n\n"
             "The festival shows 210 films from 64 countries over ten days. Organisers said "
             "ticket sales were the highest since before the pandemic."},
    {.key = "orchestra",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_STAGE,
     .age = AGO(9, 3, 50),
     .tags = "music, classical music",
     .headline = "Youth orchestra’s winter tour sells out in a day",
     .summary = "The orchestra, whose players are aged 14 to 22, will play in six cities with "
                "a programme of new works by young composers.",
     .body = "Tickets for all eight concerts of a national youth orchestra’s winter tour sold "
             "out within a day of going on sale, its organisers said on Monday.\n\n"
             "The orchestra’s 96 players, aged 14 to 22, were chosen from more than 1,000 "
             "applicants. The programme pairs a familiar symphony with three new pieces by "
             "composers under 30.\n\n"
             "“Young audiences come to hear young players,” said the conductor, Ra Eun-seo. "
             "“They stay for the music.”"},
    {.key = "gate",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(12, 5, 5),
     .tags = "heritage, history",
     .headline = "Restorers finish five years of work on a palace gate",
     .summary = "Craftsmen used traditional tools and pigments to repair the timber roof and "
                "painted beams.",
     .body = "A wooden palace gate that had been covered in scaffolding for five years "
             "reopened to visitors on Saturday, after restorers replaced rotten beams and "
             "repainted its eaves.\n\n"
             "The heritage administration said about a third of the timber had to be replaced. "
             "Carpenters used hand tools, and painters mixed pigments following records kept "
             "since the last major repair in the 1960s.\n\n"
             "The gate will be lit at night until the end of the year."},
    {.key = "naengmyeon",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(15, 4, 0),
     .tags = "food, Seoul",
     .headline = "The cold-noodle shops that refuse to close for winter",
     .summary = "Naengmyeon is a summer dish for most people. For its devotees, the best bowl "
                "is eaten in January.",
     .body = "When the first snow falls, most people in Seoul want soup. A small, loyal crowd "
             "wants 냉면, naengmyeon: buckwheat noodles in an icy beef broth.\n\n"
             "“In the old days, this was a winter dish in the north,” said Ko Jeong-sik, whose "
             "family has run a noodle restaurant for three generations. “You ate it in a warm "
             "room, with the floor heated. That was the luxury.”\n\n"
             "Mr. Ko’s shop, like a handful of others, stays open all year. In winter he serves "
             "fewer bowls, but his regulars come every week.\n\n"
             "His advice for first-timers: taste the broth before adding vinegar or mustard, "
             "and never cut the noodles before the first bite."},
    {.key = "label",
     .section = "culture",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_STAGE,
     .age = AGO(18, 7, 35),
     .tags = "music, pop music",
     .headline = "Pop label promises shorter contracts after trainees’ complaints",
     .summary = "The label will cap trainee contracts at three years and publish what trainees "
                "are charged for lessons and housing.",
     .body = "A large pop music label said on Thursday that it would cap contracts for "
             "trainees at three years and publish what it charges them for lessons, housing and "
             "meals, after former trainees described debts they could not repay.\n\n"
             "The label also said it would stop charging trainees who leave before their debut "
             "for the cost of their training.\n\n"
             "Lawyers for the former trainees welcomed the changes but said they should apply to "
             "past contracts as well."},

    /* --- Sports ------------------------------------------------------------------------ */
    {.key = "final",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_STADIUM,
     .age = AGO(0, 14, 5),
     .tags = "football, cup final",
     .headline = "Eastport United win the cup on penalties in a rain-soaked final",
     .summary = "The goalkeeper saved two spot kicks after a 1-1 draw, giving the club its "
                "first major trophy in 19 years.",
     .body = "Eastport United won the national cup on Saturday night, beating Hanbit City 4-2 "
             "on penalties after a 1-1 draw in a final played in heavy rain.\n\n"
             "Goalkeeper Moon Jae-hyuk, 34, saved the second and fourth Hanbit kicks, and "
             "captain Lee Sang-woo scored the winner, setting off a celebration among the "
             "18,000 travelling fans that lasted well after the stadium lights dimmed.\n\n"
             "Hanbit had led from the 23rd minute, when a low cross was turned in at the near "
             "post. Eastport equalised nine minutes from time with a header from a corner.\n\n"
             "“I have been here for eleven years and never held a trophy,” Moon said. “Tonight "
             "I held it and did not want to give it back.”\n\n"
             "It is Eastport’s first major trophy since 2006, and it earns the club a place in "
             "next season’s regional champions competition."},
    {.key = "standings",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_STADIUM,
     .age = AGO(2, 5, 0),
     .tags = "football, league",
     .headline = "Title race tightens with three rounds left",
     .summary = "Two points separate the top three after the leaders dropped points at home "
                "for the second week running.",
     .body = "The league title race has rarely been this close so late. With three rounds left, "
             "two points separate the top three clubs after Riverside Athletic were held to a "
             "goalless draw at home on Sunday.\n\n"
             "| Club | P | W | D | L | Pts |\n"
             "|---|---:|---:|---:|---:|---:|\n"
             "| Riverside Athletic | 35 | 19 | 9 | 7 | 66 |\n"
             "| Namhae Mariners | 35 | 19 | 8 | 8 | 65 |\n"
             "| Eastport United | 35 | 18 | 10 | 7 | 64 |\n"
             "| Hanbit City | 35 | 16 | 9 | 10 | 57 |\n"
             "| Northgate | 35 | 14 | 11 | 10 | 53 |\n\n"
             "*P: played. W: won. D: drawn. L: lost. Pts: points.*\n\n"
             "Riverside play both of their closest rivals in the final two rounds. Their coach "
             "said the draw was “a point gained, not two lost”, a view few of the home fans "
             "shared.\n\n"
             "At the bottom, Seoram Rovers need to win all three of their remaining games to "
             "avoid relegation."},
    {.key = "pitcher",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(4, 10, 30),
     .tags = "baseball",
     .headline = "Veteran pitcher’s last start ends with a standing ovation",
     .summary = "Jang Woo-seok, 41, left the mound in the seventh inning of his final game "
                "after 19 seasons with one club.",
     .body = "Jang Woo-seok pitched for 19 seasons, all of them for the Eastport Gulls. On "
             "Sunday he walked off the mound for the last time in the seventh inning, with the "
             "crowd on its feet and his teammates lined up on the dugout steps.\n\n"
             "Jang, 41, gave up one run in six and two-thirds innings. He finishes his career "
             "with 164 wins, the most by a pitcher for a single club in the league’s history.\n\n"
             "“My arm told me last spring. It took my head a little longer,” he said."},
    {.key = "marathon",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(7, 3, 45),
     .tags = "marathon, athletics",
     .headline = "Record field expected for the city marathon as the route changes",
     .summary = "Organisers moved the course to avoid two bridges under repair, and promise a "
                "flatter, faster race.",
     .body = "More than 38,000 runners have registered for next month’s city marathon, a "
             "record, after organisers announced a new route that avoids two bridges under "
             "repair.\n\n"
             "The new course follows the river for most of its length and has fewer hills, "
             "which organisers said could mean faster times at the front of the race.\n\n"
             "Several roads in the city centre will be closed from 6 a.m. to 2 p.m. on race day."},
    {.key = "volleyball",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(11, 2, 15),
     .tags = "volleyball",
     .headline = "Women’s volleyball league adds two clubs for next season",
     .summary = "The expansion to nine teams follows three seasons of rising attendance and "
                "television ratings.",
     .body = "The women’s professional volleyball league will grow to nine clubs next season, "
             "its board decided on Tuesday, after three seasons in which attendance and "
             "television audiences rose.\n\n"
             "The two new clubs will be based in cities that have not had a team before. Each "
             "may sign three players from existing clubs in a special draft.\n\n"
             "The league said it would also raise the salary cap by 10 percent."},
    {.key = "archery",
     .section = "sports",
     .author = CHOI,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(16, 8, 50),
     .tags = "archery, national team",
     .headline = "Archery team names three newcomers for the world championships",
     .summary = "Selectors chose the squad after a month of trials in which two former "
                "champions missed the cut.",
     .body = "The national archery team named three first-time internationals on Friday for "
             "next month’s world championships, after trials in which two former world "
             "champions failed to qualify.\n\n"
             "The team’s trials are famous for their difficulty: archers shoot thousands of "
             "arrows over a month, in wind and rain, and only the results count.\n\n"
             "“It is harder to make this team than to win a medal with it,” the head coach "
             "said, repeating a line that every coach before him has used."},

    /* --- Opinion ------------------------------------------------------------------------ */
    {.key = "editorial-housing",
     .section = "opinion",
     .author = OH,
     .coauthor = -1,
     .photo = PH_NEWSPAPER,
     .age = AGO(1, 0, 40),
     .tags = "editorial, housing",
     .headline = "Editorial: The housing queue is a test of the state’s promises",
     .summary = "A wait of more than two and a half years for a public flat is not a waiting "
                "list. It is a closed door.",
     .body = "Figures released this week show that young people now wait an average of 31 "
             "months for a public rental flat in the capital region. That is longer than most "
             "university courses and longer than many first jobs last.\n\n"
             "Public housing was meant to be a bridge: a few years of affordable rent while "
             "young workers save for something of their own. A bridge that takes three years "
             "to reach is not doing its job.\n\n"
             "The housing agency’s promise of 12,000 new flats is welcome. It is also, by the "
             "agency’s own numbers, roughly what is needed to stop the queue from growing. It "
             "will not make it shorter.\n\n"
             "Three things would help:\n\n"
             "1. Build on land the state already owns, starting with unused rail yards.\n"
             "2. Let tenants whose incomes have risen buy their flats, freeing others.\n"
             "3. Publish the queue, flat by flat, so that no one has to guess.\n\n"
             "None of this is new. What is missing is the will to do it at the scale the "
             "numbers demand."},
    {.key = "letters",
     .section = "opinion",
     .author = OH,
     .coauthor = -1,
     .photo = PH_NONE,
     .age = AGO(3, 1, 10),
     .tags = "letters",
     .headline = "Letters: Night buses, rural clinics and the price of a quiet street",
     .summary = "Readers write about the new night routes, doctors who will not retire and the "
                "noise of construction.",
     .body = "**Night buses are a start**\n\n"
             "> I work in a hospital kitchen and finish at two in the morning. The later night "
             "buses will save me about 40,000 won a week in taxis. Please tell the city that "
             "the route past the market needs them too.\n>\n"
             "> — A reader in Guro\n\n"
             "**Thank the doctors, then replace them**\n\n"
             "> My father is one of the retired doctors your article described. He is proud to "
             "help, and he is tired. A county that depends on a 71-year-old to keep its "
             "emergency room open has a plan that ends soon, one way or another.\n>\n"
             "> — A reader in Gangneung\n\n"
             "**Construction at dawn**\n\n"
             "> The rules say building work may begin at seven. On my street it begins at six, "
             "and nobody answers the complaints line before nine.\n>\n"
             "> — A reader in Mapo\n\n"
             "*Letters may be edited for length and clarity.*"},
    {.key = "plainwords",
     .section = "opinion",
     .author = PARK,
     .coauthor = -1,
     .photo = PH_BOOKS,
     .age = AGO(8, 0, 30),
     .tags = "column, language",
     .headline = "Column: Plain words are a public service",
     .summary = "A government that cannot be understood cannot be held to account.",
     .body = "A parking notice of 140 words, rewritten in 31, tells you most of what you need "
             "to know about official language. The long version was not more precise. It was "
             "only harder to read.\n\n"
             "The volunteers who have spent three years rewriting government letters are doing "
             "work that should have been done by the people who wrote them. Every form that a "
             "citizen cannot understand costs something: a phone call, a missed deadline, a fine "
             "that should never have been paid.\n\n"
             "Plain language is sometimes dismissed as dumbing down. It is the opposite. It is "
             "harder to write clearly than to hide behind jargon, and a clear sentence can be "
             "checked, argued with and quoted back to the official who wrote it.\n\n"
             "That, perhaps, is why some officials prefer the long version."},
    {.key = "editorial-stadiums",
     .section = "opinion",
     .author = OH,
     .coauthor = -1,
     .photo = PH_STADIUM,
     .age = AGO(12, 1, 0),
     .tags = "editorial, sport",
     .headline = "Editorial: Stadiums should not go dark after the final whistle",
     .summary = "Cities have built arenas that stand empty most days of the year. They could be "
                "parks, schools and markets too.",
     .body = "The country has more large stadiums than it can fill. Most are used for fewer "
             "than 40 days a year, and many were built with public money for a single "
             "tournament.\n\n"
             "Other cities have shown what is possible: running tracks open to the public in the "
             "mornings, markets in the car parks at weekends, schools that use the training "
             "pitches on weekdays.\n\n"
             "Clubs worry about wear on the grass and the cost of security. Those are real "
             "problems with known answers. An empty stadium is a cost too, paid by everyone."},
    {.key = "column-chips",
     .section = "opinion",
     .author = MOORE,
     .coauthor = -1,
     .photo = PH_SKYLINE,
     .age = AGO(14, 9, 20),
     .tags = "column, economy, semiconductors",
     .headline = "Column: An economy that runs on one product should worry about it",
     .summary = "Chips have carried exports for a year. The rest of the economy needs an engine "
                "of its own.",
     .body = "For most of this year, the story of the country’s exports has been the story of "
             "one product. When memory chips sell, the numbers look good. When they do not, the "
             "numbers look bad, whatever else is happening.\n\n"
             "There is nothing wrong with being very good at something. The risk is in "
             "forgetting that the cycle turns. Chip prices have fallen by half in a single year "
             "before, and they will again.\n\n"
             "The time to invest in the industries that will carry the next decade is when the "
             "money is coming in, not when it has stopped. That means research, yes, but also "
             "the slower work of training people for trades that do not yet have names."},
};
const size_t demo_narticles = ARRAY_SIZE(demo_articles);
