"""Writes school_context.csv: the hand-written school-context examples the classifier learns from.

Each *template* below is one way people really write about the school (a news headline, a Reddit
post, a parent's tweet, a journalist's request...). A template is expanded a few times with
different slot values (aliases, names, outlets, deadlines) and light surface noise. All rows from
one template share a ``group`` and the same ``split``: whole templates are held out for testing,
so the test split never contains a near-duplicate of a training row.

Run ``python -m analysis.data.generate_school_context`` to regenerate; the output is deterministic
(fixed seed), and the CSV is committed so training does not depend on running this script.
"""

from __future__ import annotations

import csv
import random
import zlib
from pathlib import Path

OUT = Path(__file__).with_name("school_context.csv")
SEED = 20240611
VARIANTS = 5  # rows per template

SLOTS: dict[str, list[str]] = {
    "school": [
        "Darul Hadis Latifiah", "Darul Hadith Latifiah", "Latifiah school", "Darul Hadis Latifiah",
        "DHL school on Cannon Street Road", "Darul Hadis Latifiah in Tower Hamlets",
        "the Latifiah", "darul hadis latifiah", "Latifiah", "Darul Hadis Latifiah (E1)",
    ],
    "pupil": [
        "Aisha Begum", "Yusuf Ahmed", "Ibrahim Hussain", "Maryam Khatun", "Zainab Ali",
        "Hamza Miah", "Sumaiya Rahman", "Abdullah Uddin", "Fatima Choudhury", "Bilal Islam",
        "Khadija Akhtar", "Musa Karim",
    ],
    "first": ["Aisha", "Yusuf", "Ibrahim", "Maryam", "Zainab", "Hamza", "Sumaiya", "Abdullah",
              "Fatima", "Bilal", "Khadija", "Musa", "Imran", "Safiya"],
    "year": ["7", "8", "9", "10", "11", "12"],
    "teacher": ["Mr Rahman", "Ms Begum", "Mr Hussain", "Mrs Khan", "Mr Ali", "Miss Patel",
                "Ustadh Karim", "Mr Chowdhury"],
    "head": ["the head teacher", "the headteacher", "the head", "the principal", "the head master"],
    "street": ["Cannon Street Road", "Commercial Road", "Cable Street", "Watney Street",
               "Burdett Road", "Jubilee Street", "Sidney Street", "Ben Jonson Road"],
    "outlet": ["BBC London", "the East London Advertiser", "The Guardian", "the Evening Standard",
               "MyLondon", "ITV News London", "Channel 4 News", "Sky News", "The Times",
               "Schools Week", "Tes", "the Telegraph", "Middle East Eye", "5Pillars",
               "BBC Radio London", "the Daily Mail", "LBC", "The Independent"],
    "handle": ["@sarahjreports", "@tomwhitejourno", "@aminaknews", "@jpatel_bbc", "@rosie_writes",
               "@hbrownELA", "@dan_okafor", "@leilahreports", "@mattcroftTES", "@nadiarahmanTV"],
    "email": ["sarah.jones@bbc.co.uk", "tom.white@standard.co.uk", "amina.k@theguardian.com",
              "newsdesk@eastlondonadvertiser.co.uk", "r.harris@mylondon.news",
              "planning@channel4.com", "j.patel@itv.com", "news@schoolsweek.co.uk",
              "leilah.m@independent.co.uk", "d.okafor@thetimes.co.uk"],
    "deadline": ["Deadline 5pm today.", "Deadline Friday.", "by 5pm today", "by noon tomorrow",
                 "deadline is 3pm", "on deadline, need by 4pm", "by end of day Thursday",
                 "Deadline: Monday 10am.", "needs to be by 6pm tonight", ""],
    "topic": ["the Ofsted inspection", "the new building plans", "the admissions changes",
              "the fees increase", "the head teacher leaving", "the GCSE results",
              "the uniform policy", "the school's funding", "the planning application",
              "the incident outside the gates", "faith schools in east London",
              "the closure rumours", "the sixth form plans"],
    "role": ["journalist", "reporter", "producer", "researcher", "freelance journalist",
             "news reporter", "radio producer", "TV researcher"],
    "slur": ["terrorists", "p*kis", "ragheads", "jihadis", "towelheads"],
    "swear": ["fucking", "f***ing", "bloody", "shit", "fkn"],
    "insult": ["idiots", "morons", "clowns", "scumbags", "wankers", "pricks", "muppets"],
    "courier": ["DHL", "DHL Express", "dhl", "DHL Parcel"],
    "rating": ["Good", "Requires Improvement", "Outstanding", "Good"],
    "month": ["September", "January", "March", "May", "October", "June"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "grade": ["9s", "7s and above", "top grades", "A*s"],
    "amount": ["£3,000", "£12k", "£500", "£8,400", "£20,000"],
    "number": ["07700 900123", "07911 123456", "020 7946 0321", "07400 555019"],
}

# (label, subreason, kind, title, text). Titles may be empty. Slots are {name}; {name2} draws a
# second, independent value from the same list.
T = tuple[str, str, str, str, str]
NEU, INAP, MEDIA = "neutral", "inappropriate", "media_enquiry"

TEMPLATES: list[T] = [
    # ---- neutral: published news, including news about incidents and threats ----
    (NEU, "", "news", "Ofsted rates {school} '{rating}'",
     "Inspectors praised pupils' behaviour and the breadth of the curriculum at the independent "
     "Islamic secondary school in east London, but said leaders should improve careers advice."),
    (NEU, "", "news", "Police investigate graffiti at east London Islamic school",
     "Officers were called to {school} on {street} after the word '{slur}' was sprayed on the front "
     "wall overnight. A Met spokesperson said it was being treated as a hate crime."),
    (NEU, "", "news", "Teacher at {school} barred from profession",
     "A former teacher has been banned from teaching indefinitely after a panel found he had "
     "failed to follow safeguarding procedures. The school said it had cooperated fully."),
    (NEU, "", "news", "Man charged after threats against Tower Hamlets school",
     "A 34-year-old man has been charged with making threats to kill after messages saying he "
     "would 'burn the school down' were sent to {school}. He will appear at Thames Magistrates."),
    (NEU, "", "news", "{school} pupils celebrate GCSE results",
     "Students at the school achieved their best results yet, with more than half of entries "
     "graded 7 or above, according to figures released by the school on {day}."),
    (NEU, "", "news", "Plans for new sixth form block at {school} approved",
     "Tower Hamlets Council's strategic development committee approved the three-storey extension "
     "on {day} despite objections from some neighbours about traffic on {street}."),
    (NEU, "", "news", "Independent school fees rise as VAT bites",
     "Schools including {school} have told parents fees will rise from {month}. The head said "
     "the school had absorbed as much of the cost as it could."),
    (NEU, "", "news", "Parents protest over changes at {school}",
     "Around 40 parents gathered outside the gates on {day} to object to changes to the school "
     "day. The school told the Advertiser it had consulted families and would meet them again."),
    (NEU, "", "news", "{school} responds to inspection findings",
     "The Department for Education's inspection found the independent school did not meet all "
     "of the standards on premises. The school said work to fix the issues was under way."),
    (NEU, "", "news", "Charity fun run raises {amount} for Gaza appeal",
     "Pupils and staff from {school} completed a sponsored run in Victoria Park on {day}, "
     "raising money for children affected by the conflict."),
    (NEU, "", "news", "Tower Hamlets schools brace for falling rolls",
     "Several schools in the borough, among them {school}, expect smaller intakes next year as "
     "families leave inner London, council papers show."),
    (NEU, "", "news", "Hate crime against Islamic school condemned by MP",
     "The local MP condemned abuse shouted at pupils of {school}, where a man called children "
     "'{slur}' outside the gates on {day}. Police have appealed for witnesses."),
    # ---- neutral: Ofsted / official ----
    (NEU, "", "report", "Inspection report: {school}",
     "The school meets the independent school standards. Pupils are polite and attend well. "
     "Leaders have improved the teaching of reading. What does the school need to do to improve? "
     "Leaders should ensure the curriculum in humanities is sequenced well."),
    (NEU, "", "report", "",
     "Ofsted report for {school} is out: overall effectiveness {rating}. Personal development "
     "judged good, leadership and management judged good. Full report on the Ofsted website."),
    (NEU, "", "report", "Companies House filing",
     "Annual accounts filed for the trust that runs {school}. Total income {amount} higher than "
     "last year, mainly from fees and donations."),
    # ---- neutral: civil criticism and complaints, some angry ----
    (NEU, "", "tweet", "",
     "Absolutely fuming with {school}. Third time this term the coach has left late and nobody "
     "answers the office phone. Parents deserve better communication."),
    (NEU, "", "reddit", "Anyone else unhappy with the new timetable at {school}?",
     "My son now finishes at 4:30 and the homework load has doubled. I've emailed the office twice "
     "with no reply. Not impressed at all, is it just us?"),
    (NEU, "", "tweet", "",
     "Really disappointed in how {school} handled the complaint about the canteen. A generic "
     "reply three weeks later is not good enough. Taking it to the governors."),
    (NEU, "", "review", "Review: 2/5",
     "Teaching is fine but the admin is chaotic. Fees went up with two weeks' notice and the "
     "uniform shop is always out of stock. Would think twice before applying."),
    (NEU, "", "forum", "Re: fees at {school}",
     "Honestly the fee rise is a disgrace for what you get. I'm not saying they're crooks, I just "
     "think they should be open about where the money goes. Ask for the accounts."),
    (NEU, "", "tweet", "",
     "The parking outside {school} at pick-up is a nightmare every single day. Cars on the "
     "pavement, kids walking in the road. @TowerHamletsNow please sort it out."),
    (NEU, "", "reddit", "Is the Ofsted grade for {school} fair?",
     "I think the inspectors were too generous. The science labs are ancient and my daughter has "
     "had supply teachers all year. Happy to be told I'm wrong."),
    (NEU, "", "tweet", "",
     "Sorry but {head} at {school} needs to listen to parents instead of sending newsletters. "
     "Bad decision on the phones ban, badly communicated."),
    (NEU, "", "forum", "",
     "We pulled our kids out of {school} last year. Not because of anything terrible, the "
     "pastoral side just wasn't there for us. Other families love it."),
    # ---- neutral: condemnation of abuse, quoting it ----
    (NEU, "", "tweet", "",
     "Someone shouted '{slur}' at girls leaving {school} today. Disgusting. This is a hate crime "
     "and should be reported. Solidarity with the pupils and staff."),
    (NEU, "", "reddit", "Racist graffiti on {street}",
     "Walked past {school} this morning and someone had written '{slur} out' on the wall. The "
     "caretaker was already scrubbing it off. Who does this to a school? Shameful."),
    (NEU, "", "tweet", "",
     "Reported an account calling {school} a 'terrorist factory'. Islamophobia like this puts "
     "children at risk. Please report it too, don't share it."),
    (NEU, "", "forum", "",
     "The comments under the {outlet} article about {school} are vile - people calling kids "
     "'{slur}'. Moderators need to do their job. Proud of how the school responded."),
    # ---- neutral: parents and community asking questions ----
    (NEU, "", "reddit", "Admissions at {school}?",
     "Has anyone applied to {school} for Year {year}? What's the entrance assessment like and "
     "when do they send offers? Thinking about it for {month}."),
    (NEU, "", "tweet", "",
     "Does anyone know if {school} is open tomorrow with the tube strike? Website hasn't been "
     "updated."),
    (NEU, "", "forum", "Uniform question",
     "Quick one for {school} parents: is the grey jumper compulsory or can they wear the "
     "cardigan? Want to order before {month}."),
    (NEU, "", "reddit", "Moving to Tower Hamlets - school advice",
     "Relocating to E1 this summer with a 12 year old. Considering {school} and a couple of "
     "state schools. Anyone have experience of the Islamic studies vs GCSE balance?"),
    (NEU, "", "facebook", "",
     "Salaam all, anyone going to the {school} parents' evening on {day}? Is it in person or on "
     "the app this year?"),
    # ---- neutral: praise, events, jobs ----
    (NEU, "", "tweet", "",
     "Huge congratulations to {school} on the Ofsted report! Well deserved, the teachers work "
     "so hard. #proudparent"),
    (NEU, "", "job", "Vacancy: Teacher of Science",
     "{school} is seeking a well-qualified teacher of science for {month}. Competitive salary. "
     "Safer recruitment applies; an enhanced DBS check is required."),
    (NEU, "", "tweet", "",
     "Lovely Eid fair at {school} today, great food and the pupils ran the stalls brilliantly. "
     "Raised {amount} for the new library."),
    (NEU, "", "reddit", "Alumni?",
     "Went to {school} years ago, class of 2012. Just remembered {teacher}'s maths lessons. "
     "Anyone else from that year still around east London?"),
    (NEU, "", "tweet", "",
     "Our Year {year} pupils visited Parliament today with {teacher} and asked their MP some sharp "
     "questions about climate policy. #schooltrip"),
    (NEU, "", "news", "Open day announced",
     "{school} will hold an open morning for prospective families on {day} {month}. Tours run "
     "every half hour and {head} will speak at 10am."),
    # ---- neutral: a journalist sharing a piece already published ----
    (NEU, "", "tweet", "",
     "My piece for {outlet} on how {school} is coping with falling rolls is out now. Thanks to "
     "the parents who spoke to me. Link in bio."),
    (NEU, "", "tweet", "",
     "NEW: {school} has been told to improve safeguarding record keeping, according to an "
     "inspection report seen by {outlet}. Story by {handle}."),
    (NEU, "", "news", "What we learned from the {school} report",
     "Our education correspondent reads the inspection report so you don't have to. The school "
     "was approached for comment and said it welcomed the findings."),
    # ---- neutral: DHL courier noise and other name collisions ----
    (NEU, "", "tweet", "",
     "{courier} says my parcel was delivered but it definitely wasn't. Third time this month. "
     "Anyone know how to actually reach a human at customer service?"),
    (NEU, "", "reddit", "{courier} delivery stuck in customs",
     "Ordered from Germany, tracking has said 'clearance event' for six days. Is this normal for "
     "{courier} at the moment?"),
    (NEU, "", "tweet", "",
     "Shoutout to the {courier} driver who waited while I ran down four flights of stairs. Legend."),
    (NEU, "", "tweet", "",
     "Congratulations to my niece Latifiah on passing her driving test today! So proud of you."),
    (NEU, "", "news", "{courier} announces new hub in east London",
     "The logistics company said the depot would create 300 jobs. Local councillors welcomed the "
     "investment but raised concerns about lorry traffic."),
    # ---- neutral: criticism of staff/school without false factual claims ----
    (NEU, "", "reddit", "Strict teachers",
     "{teacher} at {school} gave my son a detention for a missing tie. Bit harsh imo, but I get "
     "that they want standards. How do other parents deal with this?"),
    (NEU, "", "tweet", "",
     "I don't agree with {school}'s decision to cancel the trip. Shame for the kids who were "
     "looking forward to it. Hope they reconsider."),

    # ---- inappropriate: defamation (false factual allegations) ----
    (INAP, "defamation", "tweet", "",
     "Everyone knows {head} at {school} is pocketing the fees. Crook. The whole place is a money "
     "laundering front."),
    (INAP, "defamation", "reddit", "The truth about {school}",
     "The teachers there beat the kids and the school covers it up. {teacher} has been hitting "
     "pupils for years and management just pays the parents off."),
    (INAP, "defamation", "forum", "",
     "{teacher} from {school} was sacked from his last job for fiddling exam results, that's a "
     "fact. They knowingly hired a cheat."),
    (INAP, "defamation", "tweet", "",
     "{school} is stealing money from the donation boxes and sending it abroad. The trustees are "
     "fraudsters, spread the word."),
    (INAP, "defamation", "review", "Review: 1/5",
     "Avoid. {head} is a known abuser and the governors have covered it up for years. They "
     "falsify their attendance figures for Ofsted too."),
    (INAP, "defamation", "facebook", "",
     "Heard {teacher} at {school} is a drug dealer, sells to the older kids behind the mosque. "
     "Police know but do nothing."),
    (INAP, "defamation", "tweet", "",
     "{school} faked their GCSE grades, the exam board is investigating, they bribed the "
     "invigilators. Total fraud."),
    (INAP, "defamation", "reddit", "",
     "The trustees of {school} are funnelling fees into their own property business. Criminals "
     "running a school. They should all be in prison."),
    # ---- inappropriate: discrimination ----
    (INAP, "discrimination", "tweet", "",
     "{school} is a terrorist training camp. Shut down every madrassa in this country."),
    (INAP, "discrimination", "tweet", "",
     "Another school full of {slur} in Tower Hamlets. Send them all back where they came from."),
    (INAP, "discrimination", "reddit", "",
     "Places like {school} are breeding grounds for extremists. These people don't belong in "
     "Britain and never will."),
    (INAP, "discrimination", "forum", "",
     "Don't want {slur} like the {school} lot anywhere near my kids. East London used to be ours."),
    (INAP, "discrimination", "tweet", "",
     "Muslims shouldn't be allowed to run schools. {school} is teaching kids to hate us. Deport "
     "the lot."),
    (INAP, "discrimination", "facebook", "",
     "Look at them coming out of {school} in their burkas. Invaders. This isn't England any more."),
    (INAP, "discrimination", "tweet", "",
     "Islam is a disease and {school} is where they spread it. #banislam"),
    (INAP, "discrimination", "reddit", "",
     "Girls at {school} are all brainwashed, their culture is backward and inferior. Ban these "
     "religious schools."),
    # ---- inappropriate: abuse (offensive insults, profanity) ----
    (INAP, "abuse", "tweet", "",
     "{school} teachers are a bunch of {swear} {insult}."),
    (INAP, "abuse", "tweet", "",
     "{swear} hate {school}, what a shithole of a school, staff are useless {insult}."),
    (INAP, "abuse", "reddit", "",
     "{head} of {school} is a pathetic little {insult2}. Absolute joke of a human being, go to "
     "hell."),
    (INAP, "abuse", "forum", "",
     "lmao {school} more like a zoo, the staff are brain dead {insult} and the kids are animals"),
    (INAP, "abuse", "tweet", "",
     "@DHLatifiah you lot are {swear} disgusting {insult}, shove your newsletter up your arse."),
    (INAP, "abuse", "review", "Review: 1/5",
     "{teacher} is a fat useless cow. Worst {swear} teacher in London. Get a real job you {insult}."),
    (INAP, "abuse", "tweet", "",
     "screw {school} and screw every {swear} {insult} who works there"),
    (INAP, "abuse", "reddit", "",
     "The staff at {school} are thick as shit. {swear} dumb {insult} the lot of them."),
    # ---- inappropriate: threat ----
    (INAP, "threat", "tweet", "",
     "Someone should burn {school} down with the staff inside."),
    (INAP, "threat", "tweet", "",
     "I know where {teacher} from {school} parks every morning. Watch your back."),
    (INAP, "threat", "forum", "",
     "I'll be waiting outside the {school} gates on {day}. {head} is going to get what's coming."),
    (INAP, "threat", "reddit", "",
     "If they expel my son from {school} I will come in there and smash the place up, and "
     "anyone who gets in the way."),
    (INAP, "threat", "tweet", "",
     "{head} at {school} better sleep with one eye open. We know your address."),
    (INAP, "threat", "facebook", "",
     "Put a brick through {school}'s windows tonight and see how they like it. Who's with me."),
    (INAP, "threat", "tweet", "",
     "{teacher} is going to get stabbed one of these days, and I hope I'm the one who does it."),
    (INAP, "threat", "forum", "",
     "Going to bomb that {school} place, mark my words. You've been warned."),
    # ---- inappropriate: harassment / bullying ----
    (INAP, "harassment_bullying", "tweet", "",
     "Year {year} lad at {school} is the ugliest kid alive lol everyone share this and tag him"),
    (INAP, "harassment_bullying", "tweet", "",
     "Keep messaging {teacher} from {school} until she quits. Flood her inbox every day."),
    (INAP, "harassment_bullying", "reddit", "",
     "Let's all report {teacher}'s account and spam his posts. Nobody likes him at {school}, make "
     "his life hell."),
    (INAP, "harassment_bullying", "forum", "",
     "Rating the girls at {school} out of 10, starting with the Year {year} class. Post your "
     "scores below."),
    (INAP, "harassment_bullying", "tweet", "",
     "that fat kid from {school} cried again today hahaha everyone laugh at him tomorrow"),
    (INAP, "harassment_bullying", "facebook", "",
     "Everyone comment on {teacher}'s photos telling her how ugly she is. {school} staff deserve "
     "it."),
    (INAP, "harassment_bullying", "tweet", "",
     "{first} from {school} is such a loser, no friends, smells. Pass it on. #exposed"),
    (INAP, "harassment_bullying", "reddit", "",
     "Made a group chat to wind up the new kid at {school}. Every day we send him something. "
     "He's going to crack soon."),
    # ---- inappropriate: privacy breach (even when polite) ----
    (INAP, "privacy_breach", "tweet", "",
     "Well done to {pupil} in Year {year} at {school} for winning the borough Qur'an recitation "
     "competition! So proud of our little star."),
    (INAP, "privacy_breach", "tweet", "",
     "The Year {year} girl called {first} from {school} lives at number 14 {street}, she walks "
     "home alone after school."),
    (INAP, "privacy_breach", "reddit", "",
     "Does anyone know {pupil}? Goes to {school}, Year {year}. I think she lives on {street}, "
     "need to find her."),
    (INAP, "privacy_breach", "facebook", "",
     "Here's a photo of the {school} Year {year} boys at the bus stop on {street} this morning, "
     "tag them if you know them."),
    (INAP, "privacy_breach", "tweet", "",
     "Congratulations {pupil} ({school}, Year {year}) on your 9s! Your mum lives just off "
     "{street}, we'll drop a cake round."),
    (INAP, "privacy_breach", "forum", "",
     "{teacher}'s home address is 22 {street} and his mobile is {number}. Go and ask him "
     "yourself about {school}."),
    (INAP, "privacy_breach", "tweet", "",
     "Lovely to see little {first} {first2} from Year {year} at {school} reading at the mosque "
     "tonight, such a sweet boy. Pic attached."),
    (INAP, "privacy_breach", "reddit", "",
     "The kid who got excluded from {school} is {pupil}, Year {year}, his dad runs the shop on "
     "{street}."),
    (INAP, "privacy_breach", "facebook", "",
     "Sharing the {school} Year {year} class list so parents can plan birthday parties: {pupil}, "
     "{pupil2}, ... with home postcodes. DM for the full list."),
    # ---- inappropriate: confidentiality breach ----
    (INAP, "confidentiality_breach", "tweet", "",
     "Leaked: internal email from {head} at {school} to staff about the redundancies. Screenshot "
     "below, they don't want parents to see this."),
    (INAP, "confidentiality_breach", "reddit", "{school} governors' minutes",
     "Got hold of the confidential governors' meeting minutes from {month}. Posting the full "
     "text, including the bit about the safeguarding case."),
    (INAP, "confidentiality_breach", "forum", "",
     "Here's the {school} staff salary spreadsheet, someone left it on the shared drive. {teacher} "
     "is on {amount} more than everyone else."),
    (INAP, "confidentiality_breach", "tweet", "",
     "Anyone want the {school} Year {year} mock paper before Monday? Got the whole thing from "
     "the staff room printer."),
    (INAP, "confidentiality_breach", "reddit", "",
     "Posting the SEN register from {school} that was sent to the wrong parents. It shows which "
     "kids have which needs."),
    (INAP, "confidentiality_breach", "facebook", "",
     "My friend works in the office at {school} and sent me the disciplinary letter about "
     "{teacher}. Here it is in full, make your own minds up."),
    (INAP, "confidentiality_breach", "tweet", "",
     "Screenshot of the {school} internal memo on the Ofsted prep. They told staff not to share "
     "it, so I am."),
    (INAP, "confidentiality_breach", "forum", "",
     "Uploaded the {school} safeguarding log that was left on the printer. Names blurred but you "
     "can still work out who."),
    # ---- inappropriate: impersonation ----
    (INAP, "impersonation", "tweet", "",
     "OFFICIAL: {school} will close permanently at the end of term. All pupils must find new "
     "places. - The Head Teacher"),
    (INAP, "impersonation", "facebook", "",
     "This is {head} of {school}. Due to a banking problem please pay this term's fees to the new "
     "account below. Sort code 20-00-00."),
    (INAP, "impersonation", "tweet", "",
     "Hi, I run the official {school} account now. DM me for admissions and fee discounts, "
     "payment by bank transfer only."),
    (INAP, "impersonation", "reddit", "",
     "Statement from {school}: we apologise for nothing and parents who complain will have their "
     "children removed. (posted on behalf of the school)"),
    (INAP, "impersonation", "tweet", "",
     "As {teacher} from {school} I can confirm all exams are cancelled this year lol. Official."),
    (INAP, "impersonation", "facebook", "",
     "{school} Admissions Team here: places for {month} are guaranteed if you send a {amount} "
     "deposit via PayPal to this address today."),
    (INAP, "impersonation", "tweet", "",
     "Message from the headteacher of {school}: school is closed tomorrow for a staff protest. "
     "(new account, old one was hacked)"),
    (INAP, "impersonation", "forum", "",
     "Posting as the {school} office: the parent WhatsApp is moving, join using this link and "
     "enter your bank details to verify you're a parent."),

    # ---- media enquiries: with and without hashtags ----
    (MEDIA, "", "tweet", "",
     "#journorequest Looking to speak to parents with children at {school} about {topic} for a "
     "piece in {outlet}. DMs open. {deadline}"),
    (MEDIA, "", "tweet", "",
     "Hi {school}, I'm a {role} at {outlet} and we're running a story on {topic}. Could someone "
     "give us a comment? Email {email} {deadline}"),
    (MEDIA, "", "tweet", "",
     "{role} at {outlet} here. Would {head} of {school} be available for a short interview "
     "about {topic}? {deadline} Please DM or email {email}."),
    (MEDIA, "", "tweet", "",
     "Are you a teacher or former pupil at {school}? I'd love to hear from you for a {outlet} "
     "feature on {topic}. Contact {handle}. #journorequest"),
    (MEDIA, "", "tweet", "",
     "Seeking case studies: families who chose an Islamic school like {school} in east London. "
     "{role} for {outlet}. {deadline} {email}"),
    (MEDIA, "", "email", "Media enquiry: {topic}",
     "Dear {school}, I am a {role} with {outlet}. We are preparing a report on {topic} and would "
     "like to give the school the opportunity to respond. {deadline} Kind regards, {email}"),
    (MEDIA, "", "tweet", "",
     "Anyone got contacts at {school}? Working on something about {topic} for {outlet}. "
     "{deadline} {handle}"),
    (MEDIA, "", "tweet", "",
     "#prrequest #journorequest Need a spokesperson from an independent Islamic secondary "
     "(ideally {school}) to talk about {topic} on {outlet} tomorrow morning."),
    (MEDIA, "", "reddit", "Journalist looking to talk to {school} parents",
     "Mods approved this post. I'm a {role} at {outlet} researching {topic}. If you have a child "
     "at {school} and would talk to me (anonymously if you prefer), message me or email {email}."),
    (MEDIA, "", "tweet", "",
     "@DHLatifiah Hello, {outlet} here. We'd like to ask the school about {topic}. Is there a "
     "press contact? {deadline}"),
    (MEDIA, "", "tweet", "",
     "I'm producing a radio segment for {outlet} on {topic} and would love a teacher from "
     "{school} as a guest. {deadline} Message {handle}."),
    (MEDIA, "", "tweet", "",
     "Researching faith schools for a documentary. Would anyone at {school} speak on camera about "
     "{topic}? Production company working with {outlet}. {email}"),
    (MEDIA, "", "email", "Request for comment - {outlet}",
     "Hello, we are publishing an article about {topic} at {school} and invite the school to "
     "comment on the following points. {deadline} Many thanks, {role}, {email}"),
    (MEDIA, "", "tweet", "",
     "Could the press office at {school} get in touch with me about {topic}? {role}, {outlet}. "
     "{deadline} {handle}"),
    (MEDIA, "", "facebook", "",
     "Hi all, I'm a {role} at {outlet} writing about {topic}. Looking for {school} parents who'd "
     "be willing to chat on the record. {deadline} Drop me a line at {email}"),
    (MEDIA, "", "tweet", "",
     "PhD researcher at QMUL looking to interview staff at independent Islamic schools such as "
     "{school} about {topic}. Participant info sheet available, email {email}."),
    (MEDIA, "", "tweet", "",
     "Fancy talking to {outlet} about {topic}? We want to hear from {school} pupils' parents "
     "and staff. {deadline} {handle} #journorequest"),
    (MEDIA, "", "tweet", "",
     "Quick one: anyone know who handles media at {school}? Need a comment on {topic} for "
     "{outlet}. {deadline} {handle}"),
    (MEDIA, "", "email", "Interview request",
     "Good afternoon, my name is Leilah and I produce {outlet}'s education coverage. We would like "
     "to interview {head} about {topic}. {deadline} My number is {number}, or {email}."),
    (MEDIA, "", "tweet", "",
     "Writing a piece on {topic} - would love to speak to someone from {school} or a parent. "
     "Freelance, commissioned by {outlet}. {deadline} {email}"),
]

NOISE_PREFIX = ["", "", "", "", "Just saw this: ", "RT ", "Thread: ", "lol ", "Honestly, "]
NOISE_SUFFIX = ["", "", "", "", " URL", " #TowerHamlets", " 🙄", " !!", " #EastLondon", " 😡",
                " (via @user)"]


def _fill(template: str, rng: random.Random) -> str:
    out = template
    for name, values in SLOTS.items():
        for key in (f"{{{name}2}}", f"{{{name}}}"):
            while key in out:
                out = out.replace(key, rng.choice(values), 1)
    return " ".join(out.split())


def _split_for(key: str, index: int) -> str:
    # One template in four of every label / sub-reason is held out, so each sub-reason has test
    # rows. The offset comes from crc32 (stable across runs, unlike the salted hash()).
    return "test" if (index + zlib.crc32(key.encode())) % 4 == 0 else "train"


def generate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    counters: dict[str, int] = {}
    for label, subreason, kind, title_t, text_t in TEMPLATES:
        key = subreason or label
        counters[key] = counters.get(key, 0) + 1
        group = f"{key}-{counters[key]:02d}"
        split = _split_for(key, counters[key])
        seen: set[str] = set()
        for _ in range(VARIANTS * 3):
            if len(seen) >= VARIANTS:
                break
            title = _fill(title_t, rng) if title_t else ""
            text = _fill(text_t, rng)
            if kind in ("tweet", "forum", "facebook", "reddit"):
                text = rng.choice(NOISE_PREFIX) + text + rng.choice(NOISE_SUFFIX)
                if rng.random() < 0.15:
                    text = text.lower()
            if text in seen:
                continue
            seen.add(text)
            rows.append({"group": group, "split": split, "kind": kind, "title": title,
                         "text": text, "label": label, "subreason": subreason})
    return rows


def main() -> None:
    rows = generate()
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
