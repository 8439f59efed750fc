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
    # ==== second batch (appended so the first batch keeps its rows and splits) ====
    # ---- neutral: reporting language quoting threats / slurs / allegations ----
    (NEU, "", "news", "Man jailed for threatening {school} staff",
     "Snaresbrook Crown Court heard that the defendant left a voicemail saying staff 'would be "
     "killed' and that he would 'burn the place down'. He was jailed for 18 months on {day}."),
    (NEU, "", "news", "Teenager arrested over online abuse aimed at Islamic school",
     "Police said a 17-year-old had been arrested after posts describing pupils at {school} as "
     "'{slur}' were shared hundreds of times. He has been released on bail."),
    (NEU, "", "news", "Former bursar denies fraud at {school}",
     "A former bursar accused of stealing {amount} from the school appeared in court on {day}. "
     "Prosecutors allege the money was moved into a personal account. The trial continues."),
    (NEU, "", "tweet", "",
     "BREAKING: Met Police say a man has been charged after threats were made against "
     "{school} on social media. More from {outlet} shortly."),
    (NEU, "", "news", "Council investigates complaint about {school}",
     "A council spokesperson confirmed it had received a complaint alleging that staff at "
     "{school} had used unsafe restraint. The school said the claims were untrue."),
    (NEU, "", "news", "Hoax letter sent to parents, school warns",
     "{school} has warned families about a fake letter claiming to be from {head} asking for "
     "fees to be paid into a new account. The school said it never asks for bank details by email."),
    (NEU, "", "news", "Data breach at east London school reported to ICO",
     "{school} said it had reported itself to the Information Commissioner's Office after a "
     "spreadsheet containing pupils' details was emailed to the wrong parents in error."),
    # ---- neutral: condemnations and support ----
    (NEU, "", "tweet", "",
     "The abuse {head} at {school} is getting online is disgusting. Criticise decisions by all "
     "means but nobody deserves death threats for doing their job."),
    (NEU, "", "facebook", "",
     "Whoever is spreading the rumour that {teacher} hits kids needs to stop. It's completely "
     "false and it's hurting a good teacher. Report the posts please."),
    (NEU, "", "reddit", "Islamophobic comments on local Facebook group",
     "Screenshots of people calling {school} pupils '{slur}' and 'invaders'. This is vile racism, "
     "I've reported it to Tell MAMA and the police. Please do the same."),
    (NEU, "", "tweet", "",
     "Calling a school full of children a 'terror factory' is not free speech, it's hate. Stand "
     "with {school}. #NoToIslamophobia"),
    (NEU, "", "tweet", "",
     "PSA: there's a fake account pretending to be {school} asking for fee payments. Don't send "
     "anything, the real school has confirmed it's a scam."),
    # ---- neutral: angry but civil complaints, British register ----
    (NEU, "", "tweet", "",
     "Sick to death of {school} ignoring emails. Six weeks waiting for a reply about my "
     "daughter's SEN support. Shocking. Escalating to Ofsted."),
    (NEU, "", "reddit", "Rant: {school} admin",
     "Bloody hell the admin at {school} is useless. Lost our form twice, charged us the late fee "
     "anyway. Not the teachers' fault, they're lovely, but the office needs sorting."),
    (NEU, "", "review", "Review: 1/5",
     "Very poor communication from {head}. Decisions made without consulting parents, and "
     "complaints ignored. The teaching is okay but leadership is weak. Wouldn't recommend."),
    (NEU, "", "forum", "",
     "I think {school} is making a massive mistake with the new behaviour policy. Detentions for "
     "trainers? Ridiculous. Will be raising it at the parents' forum."),
    (NEU, "", "tweet", "",
     "{school} charging £40 for a school jumper is a rip-off, full stop. Let us buy plain ones "
     "from M&S like every other school."),
    (NEU, "", "facebook", "",
     "Honestly gutted. Our application to {school} was turned down and no reason given. Has "
     "anyone appealed successfully? What did you say?"),
    (NEU, "", "tweet", "",
     "Worst parents' evening ever at {school}, 3 mins per teacher and half of them running late. "
     "Needs a proper booking system tbh 🙄"),
    (NEU, "", "reddit", "Should I complain about this teacher?",
     "{teacher} keeps setting homework on the weekend of Eid. I know it's not a big deal but it "
     "feels thoughtless. Would it be rude to email {head}?"),
    # ---- neutral: everyday community / Ofsted / jobs / name collisions ----
    (NEU, "", "tweet", "",
     "Proud of our Year {year} girls who won the inter-school debating final today! {school} "
     "represent 💪 #debate"),
    (NEU, "", "news", "Tower Hamlets school league tables published",
     "The Department for Education published Progress 8 scores on {day}. {school} was above the "
     "national average, alongside several other schools in the borough."),
    (NEU, "", "tweet", "",
     "Ordered a textbook, {courier} left it with a neighbour I've never met. Fun times."),
    (NEU, "", "job", "Exams officer - {school}",
     "Part-time exams officer wanted from {month}. Experience with JCQ regulations preferred. "
     "Apply by {day} with a CV and covering letter."),
    (NEU, "", "tweet", "",
     "Does {school} do a sibling discount on fees? Can't find it on the website, anyone know?"),
    (NEU, "", "forum", "",
     "Visited {school} on the open day. Small classes, friendly staff, a bit cramped for space. "
     "The Islamic studies programme looks strong. Still deciding."),

    # ---- inappropriate: defamation, allegations stated as fact ----
    (INAP, "defamation", "tweet", "",
     "{head} is stealing the school funds, simple as. Where do you think the new car came from? "
     "{school} parents wake up"),
    (INAP, "defamation", "facebook", "",
     "FACT: {teacher} at {school} has a criminal record for assaulting a child and they still "
     "let him teach. Share before they delete this."),
    (INAP, "defamation", "reddit", "",
     "{school} fiddles its exam results every year. The staff do the coursework for the kids and "
     "the head signs it off. It's corrupt from top to bottom."),
    (INAP, "defamation", "tweet", "",
     "the trustees at {school} are embezzling the building fund. thieves the lot of them"),
    (INAP, "defamation", "review", "Review: 1/5",
     "{teacher} has been sleeping with a sixth former and the school knows. Disgrace. This is "
     "the truth whatever they say."),
    # ---- inappropriate: discrimination incl. slurs alone ----
    (INAP, "discrimination", "tweet", "", "{school} = {slur}"),
    (INAP, "discrimination", "tweet", "",
     "bunch of {slur} the lot of them at {school}"),
    (INAP, "discrimination", "forum", "",
     "Tower Hamlets is Londonistan now, {school} proves it. Muslims are a cancer on this country."),
    (INAP, "discrimination", "reddit", "",
     "No surprise the {school} kids are thick, that's what happens when you let Bangladeshis run "
     "a school. Inferior people."),
    (INAP, "discrimination", "facebook", "",
     "Another mosque school in east London? These sand people breed like rats. {school} should "
     "be bulldozed."),
    (INAP, "discrimination", "tweet", "",
     "Women teachers at {school} in their tents lmao, pure medieval savages. Ban the burka, ban "
     "Islam."),
    # ---- inappropriate: abuse ----
    (INAP, "abuse", "tweet", "",
     "{teacher} you absolute {insult2}. {swear} useless."),
    (INAP, "abuse", "forum", "",
     "{school} is a dump run by wankers and tossers. Go fuck yourselves."),
    (INAP, "abuse", "tweet", "",
     "@DHLatifiah shut up you {swear} clowns nobody cares about your newsletter"),
    (INAP, "abuse", "reddit", "",
     "The head of {school} is a brainless twat and a disgrace. Piss off and retire already."),
    # ---- inappropriate: threat ----
    (INAP, "threat", "tweet", "",
     "Next time {teacher} walks out of {school} he's getting his head kicked in. Count on it."),
    (INAP, "threat", "facebook", "",
     "Someone's going to torch {school} one night and I won't shed a tear. Might even help."),
    (INAP, "threat", "reddit", "",
     "{head} better not show his face on {street} again, or he'll be leaving in an ambulance."),
    (INAP, "threat", "tweet", "",
     "I will find out where {teacher} lives and make her pay for what she did to my kid."),
    # ---- inappropriate: harassment / bullying ----
    (INAP, "harassment_bullying", "tweet", "",
     "Day 12 of reminding {teacher} from {school} that everyone hates her. See you tomorrow 😘"),
    (INAP, "harassment_bullying", "facebook", "",
     "Made a meme page about the Year {year} kids at {school}, send me your funniest pics of them "
     "crying lol"),
    (INAP, "harassment_bullying", "reddit", "",
     "Let's keep ringing {school} every five minutes tomorrow and asking for {teacher} until she "
     "breaks down. Pass the number round."),
    (INAP, "harassment_bullying", "tweet", "",
     "that weird girl {first} from {school} lmaooo imagine being that ugly, tag her"),
    # ---- inappropriate: privacy ----
    (INAP, "privacy_breach", "facebook", "",
     "Photo of the {school} kids on the trip today, {first} and {first2} in the front row! "
     "Their mum lives opposite us on {street}."),
    (INAP, "privacy_breach", "tweet", "",
     "{teacher} lives at 7 {street}, flat 3. Thought parents should know where to find him."),
    (INAP, "privacy_breach", "reddit", "",
     "The boy in the {school} fight video is {pupil}, Year {year}. His Instagram is @{first}_x."),
    # ---- inappropriate: confidentiality ----
    (INAP, "confidentiality_breach", "tweet", "",
     "Got a copy of the {school} staff briefing they didn't want out. Pasting it here: 'Do not "
     "discuss the inspection with parents under any circumstances.'"),
    (INAP, "confidentiality_breach", "reddit", "Internal report",
     "A mate on the board passed me the {school} trustees' private financial report. Here are "
     "the pages about the deficit and the legal case."),
    (INAP, "confidentiality_breach", "facebook", "",
     "Sharing the exclusion letter {school} sent another family (they showed me). Full text "
     "including the child's medical details below."),
    (INAP, "confidentiality_breach", "forum", "",
     "Whistleblowing: the {school} HR file on {teacher}'s grievance. Not meant for public eyes "
     "but here it is, all 12 pages."),
    # ---- inappropriate: impersonation ----
    (INAP, "impersonation", "tweet", "",
     "Dear parents, {school} is now accepting fee payments by gift card only. Regards, the "
     "School Office"),
    (INAP, "impersonation", "facebook", "",
     "Hello, I'm {head} of {school}. Please send me your child's date of birth and your bank "
     "card details to confirm their place."),
    (INAP, "impersonation", "tweet", "",
     "[Official {school} update] All Year {year} pupils are suspended tomorrow. Do not contact "
     "the school. - Admin"),
    (INAP, "impersonation", "reddit", "",
     "Speaking on behalf of {school} management: we don't care what parents think and never "
     "will. Signed, the Governors. (not really, but they might as well)"),

    # ---- media enquiries: more registers ----
    (MEDIA, "", "tweet", "",
     "Hi! Do you have a phone number for the head at {school}? Working on a story about {topic} "
     "for {outlet}. {deadline}"),
    (MEDIA, "", "email", "Press enquiry",
     "Hello, this is {outlet}'s newsdesk. We've been told about {topic} at {school} and would "
     "like a statement from the school. {deadline} {email}"),
    (MEDIA, "", "reddit", "Talking to former pupils of {school}",
     "I'm making a podcast for {outlet} about {topic}. Did you go to {school}? I'd really value "
     "a chat, all confidential. PM me."),
    (MEDIA, "", "tweet", "",
     "Any parents at {school} willing to share their experience of {topic}? Chatting to people "
     "for a {outlet} report. Anonymity possible. {handle}"),
    (MEDIA, "", "email", "Comment request re {topic}",
     "Good morning, I write for {outlet}. Ahead of publication I'd like to put some questions to "
     "{school} about {topic}. Please reply {deadline}. Best wishes, {email}"),
    (MEDIA, "", "tweet", "",
     "{outlet} is after a teacher from a faith school like {school} to come on air tomorrow and "
     "talk about {topic}. Ping me {handle}"),
    # ---- neutral: named staff and streets in ordinary, civil posts (names are not offence) ----
    (NEU, "", "tweet", "",
     "Massive thanks to {teacher} at {school} for staying late to help my son with his maths "
     "revision. Teachers like that are rare."),
    (NEU, "", "facebook", "",
     "{teacher} from {school} rang me today about my daughter's attendance. Fair enough, she's "
     "been off a lot. Nice to know they notice."),
    (NEU, "", "reddit", "Disagree with a teacher's decision",
     "{teacher} moved my son down a set at {school} without telling us first. I don't think it's "
     "right but I'll ask for a meeting before I judge. Has this happened to anyone else?"),
    (NEU, "", "tweet", "",
     "Roadworks on {street} again so the {school} drop-off was chaos this morning. Leave early "
     "tomorrow folks."),
    (NEU, "", "forum", "",
     "{head} at {school} gave a good talk at the open evening, though I wasn't convinced by the "
     "answer on class sizes. Anyone have the actual numbers?"),
    (NEU, "", "tweet", "",
     "Not a fan of {teacher}'s homework policy tbh, two hours a night is too much for my "
     "daughter. Going to raise it at parents' evening."),
    (NEU, "", "review", "Review: 3/5",
     "Mixed feelings about {school}. {teacher} is brilliant, the office less so. Fees are steep "
     "and the building on {street} is tired, but the kids seem happy."),
    (NEU, "", "reddit", "",
     "My son got a detention from {teacher} for talking in the prayer hall. Honestly he probably "
     "deserved it lol. {school} is strict but fair."),
    # ==== third batch: registers, slang, typos, emoji (appended; earlier splits unchanged) ====
    (NEU, "", "tweet", "",
     "{school} office is actually useless, been on hold 40 mins to ask about the trip money 😤 "
     "sort it out pls"),
    (NEU, "", "reddit", "",
     "not gonna lie the fees at {school} are a joke now. {amount} extra for 'resources'?? we're "
     "looking at other schools tbh"),
    (NEU, "", "facebook", "",
     "Sad to see some of the comments about {school} on here. You can disagree with the school "
     "without calling the kids names. Be better people."),
    (NEU, "", "tweet", "",
     "Horrible to read the abuse aimed at {school} pupils after the {outlet} story. These are "
     "children. Report and block, don't engage."),
    (NEU, "", "news", "Jury told of 'campaign of hate' against school",
     "The prosecution said the defendant sent more than 200 messages to {school}, including one "
     "calling staff '{insult}' and another saying the building should 'go up in flames'. He "
     "denies harassment."),
    (NEU, "", "news", "Pupil data sent to wrong parents, school admits",
     "{school} has apologised after a spreadsheet with pupils' names and medical needs was "
     "emailed to a parents' group by mistake. The ICO has been informed."),
    (NEU, "", "tweet", "",
     "Warning to {school} parents: a WhatsApp message pretending to be from the school office "
     "is asking for card details. It's a scam, the school has confirmed."),
    (NEU, "", "forum", "",
     "wat time does {school} open for the sumer club?? cant find it on there website"),
    (NEU, "", "tweet", "",
     "{school} girls football team smashed it today 3-0 ⚽🔥 so proud #girlsfootball"),
    (NEU, "", "reddit", "",
     "Honest question, is {school} registered with the DfE as an independent school? Trying to "
     "work out if the fees are tax deductible or whatever."),
    (NEU, "", "tweet", "",
     "Not gonna name the teacher but someone at {school} was really rude to my mum at pick-up. "
     "Going to email the office, hopefully a one-off."),
    (INAP, "defamation", "tweet", "",
     "{head} is a lying thief, robbed every parent at {school} blind and bought a house in Essex "
     "with our fees"),
    (INAP, "defamation", "facebook", "",
     "Everyone needs to know {teacher} at {school} is a nonce. Kept it quiet for years. Don't "
     "let your kids near him."),
    (INAP, "discrimination", "tweet", "",
     "muzzie school turning out little suicide bombers like {school} #Londonistan"),
    (INAP, "discrimination", "reddit", "",
     "ffs another {school} story, these lot will never integrate. Pack them all off back to "
     "Bangladesh"),
    (INAP, "abuse", "tweet", "",
     "{school} staff are absolute melts, thick as mince the lot of them 🤡🤡"),
    (INAP, "abuse", "facebook", "",
     "{teacher} is a horrible ugly witch and a disgrace of a human. Rot."),
    (INAP, "threat", "tweet", "",
     "swear down if {head} excludes my boy I'll do him outside {school}, on my life"),
    (INAP, "threat", "reddit", "",
     "Someone needs to pay {teacher} a visit at home and teach her a lesson she won't forget. "
     "I know her car."),
    (INAP, "harassment_bullying", "tweet", "",
     "everyone go 1-star {teacher}'s tutoring page and leave comments, make him regret working "
     "at {school} 😂"),
    (INAP, "harassment_bullying", "facebook", "",
     "Screenshot this and send it to every {school} parent: {teacher} is a weirdo and a creep. "
     "Let's see how long she lasts."),
    (INAP, "privacy_breach", "tweet", "",
     "Shoutout {pupil} in Year {year} at {school}, saw you at the bus stop on {street} again, "
     "your mum should know you're bunking x"),
    (INAP, "privacy_breach", "reddit", "",
     "The {school} kid in that video is {first} {first2}, year {year}, lives near {street}. "
     "Parents should have a word."),
    (INAP, "confidentiality_breach", "tweet", "",
     "here's the full safeguarding report {school} sent the council. meant to be private but "
     "parents deserve to see it 👇"),
    (INAP, "confidentiality_breach", "facebook", "",
     "Someone forwarded me the {school} staff group chat about the inspection. Posting the "
     "screenshots, they really didn't want this getting out."),
    (INAP, "impersonation", "tweet", "",
     "NOTICE from {school}: all Year {year} parents must pay {amount} by Friday for the trip via "
     "the link in bio. Thank you, School Office"),
    (INAP, "impersonation", "facebook", "",
     "Hi everyone, I'm the new head at {school} (this is my personal page). Please send me your "
     "contact details and card number to update our records."),
    (MEDIA, "", "tweet", "",
     "freelance reporter looking into complaints about {school} admissions. if you've been "
     "affected get in touch in confidence: {email}"),
    (MEDIA, "", "email", "Call request",
     "Hi, this is {outlet}. We'd like someone from {school} on air tomorrow at 8am about {topic}. "
     "Could you call the newsdesk on {number}? {deadline}"),
    (MEDIA, "", "tweet", "",
     "Keen to chat to ex-staff of independent Islamic schools in east London (eg {school}) for a "
     "long read. Can be anonymous. {handle} #journorequest"),
    (MEDIA, "", "email", "{school} - right of reply",
     "We are running a story tomorrow about {topic} at {school} and would welcome the school's "
     "response {deadline}. {outlet}"),
    # ==== fourth batch: civil criticism that sounds harsh, concern for pupils' safety, and
    # first-person threats (appended; earlier splits unchanged) ====
    (NEU, "", "forum", "Rant about {school}",
     "{school} needs closing down, simple as. Results are poor, fees keep rising and the "
     "governors never answer. Ofsted should step in."),
    (NEU, "", "tweet", "",
     "Genuinely think {school} is the most badly run school in the borough. Nobody answers the "
     "phone and my complaint is still sitting there."),
    (NEU, "", "reddit", "Taking my daughter out of {school}",
     "We've decided to move her to a state school in {month}. The teaching has slipped and the "
     "communication is poor. Sad, but it's the right call for us."),
    (NEU, "", "tweet", "",
     "Appalling response from {school} to our complaint about the bullying policy. Two lines and "
     "no meeting offered. We'll go to the governors."),
    (NEU, "", "news", "Letters: make {street} safe for children",
     "Sir, each day I see pupils from {school} and the nearby primary crossing {street} between "
     "lorries. A child will be hit unless the council adds a lollipop patrol. Yours, a resident."),
    (NEU, "", "facebook", "",
     "Drivers speed down {street} right when {school} lets out. It's dangerous for the kids. "
     "Please sign the petition for a 20mph zone and a crossing."),
    (NEU, "", "tweet", "",
     "Terrible decision by {school} to scrap the after-school clubs. Working parents have been "
     "left in the lurch. Shame on the governors for not consulting us."),
    (NEU, "", "review", "Review: 1/5",
     "Would not recommend. Expensive, disorganised and the head doesn't listen. The worst "
     "value for money of any school we looked at. We've pulled our son out."),
    (INAP, "threat", "tweet", "",
     "if {teacher} gives my lad one more detention I'm gonna batter him outside {school}"),
    (INAP, "threat", "reddit", "",
     "I will kill {head} of {school} if they exclude my daughter, I mean it."),
    (INAP, "threat", "facebook", "",
     "Somebody should go and burn that {school} place to the ground, staff and all."),
    (INAP, "threat", "tweet", "",
     "{teacher} at {school} wait till I catch you on {street}, you won't walk home"),
    (INAP, "discrimination", "forum", "",
     "{school} is full of immigrants who can't even speak English and never will. They don't "
     "belong here, deport the lot."),
    (INAP, "discrimination", "tweet", "",
     "Another foreign religious school taking over east London. These people aren't British and "
     "never will be. Close {school} and send them home."),
    (INAP, "harassment_bullying", "tweet", "",
     "Go to {teacher}'s page and all tell him how useless he is, don't stop until he deletes his "
     "account lol {school}"),
    (INAP, "harassment_bullying", "reddit", "",
     "Tag the {school} science teacher on every post and tell her she's a failure. Keep going "
     "till she leaves."),
    # ==== fifth batch: harsh words in civil complaints (appended; earlier splits unchanged) ====
    (NEU, "", "tweet", "",
     "Worst admissions process I've ever dealt with. {school} lost our forms and then blamed us. "
     "Complaint going in tomorrow."),
    (NEU, "", "reddit", "Regret choosing {school}",
     "Honestly regret picking {school} for our eldest. Ridiculous fees, constant staff turnover "
     "and a head who won't meet parents. Looking at other options for {month}."),
    (NEU, "", "facebook", "",
     "The way {school} treated the families on the waiting list is a disgrace. Not one phone "
     "call. I've written to the trustees and I'd urge others to do the same."),
    (NEU, "", "tweet", "",
     "{school} is a joke when it comes to SEN support, my son has waited a year for an "
     "assessment. Awful. Ofsted need to look at this."),
    (NEU, "", "forum", "",
     "Pulling both my girls out of {school} after Easter. Terrible communication, useless "
     "website, and the new uniform rules are ridiculous. Good luck to those staying."),
    (NEU, "", "reddit", "Should {school} lose its registration?",
     "After that inspection I honestly think it should be closed until they fix safeguarding. "
     "Not saying the teachers are bad people, the leadership just isn't up to it."),
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
