//! Table-driven credit tests: each row is a real sentence (from the AI/tech corpus, the seeds
//! and the dev drafts), a figure in it (or "" for the whole sentence), and the names credited
//! with that figure.

use super::*;

/// (sentence, figure, names credited with the figure)
type Row = (&'static str, &'static str, &'static [&'static str]);

const ROWS: &[Row] = &[
    // The seven statistics of newsroom-dev credited to the wrong source: the drafts' credits.
    ("The Financial Times reports that Nvidia and CoreWeave are helping Inflection install a cluster of 22,000 H100 GPUs, bigger than the 16,000-GPU cluster Meta announced in May.", "22,000", &["Financial Times"]),
    ("Carbon is even harder to measure. Researchers at Carnegie Mellon estimated that training BLOOM, an open-source language model, produced 25 metric tons of carbon dioxide.", "25 metric tons", &["Carnegie Mellon"]),
    ("IDC's data show technology, media and telecom leading adoption at 33%, followed by financial services at 24%.", "33%", &["IDC"]),
    ("Onfido counted more than 101,000 compromised ChatGPT logins for sale on dark web marketplaces over the past year.", "101,000", &["Onfido"]),
    ("OpenAI estimates that AI advances could automate 300 million jobs in some way, roughly 18% of the global workforce.", "300 million", &["OpenAI"]),
    ("ChatGPT was trained on 10,000 Nvidia GPUs, according to Citi.", "10,000", &["Citi"]),
    ("KPMG reckons generative AI will transform 40% of all working hours, and is putting Azure OpenAI tools in front of its 265,000 professionals.", "40%", &["KPMG"]),
    // ... and their sources' credits.
    ("The Forbes report also said Nvidia and CoreWeave are now helping Inflection install a cluster that will consist of a whopping 22,000 H100s.", "22,000", &["Forbes"]),
    ("Hugging Face estimated that BLOOM’s training led to 25 metric tons of carbon dioxide emissions.", "25 metric tons", &["Hugging Face"]),
    ("In a new recently released report , researchers at the cybersecurity firm Group-IB share that they have found over 101,000 compromised ChatGPT login credentials for sale on dark web marketplaces over the past year.", "101,000", &["Group-IB"]),
    ("In a report released this week, Goldman Sachs predicted that AI advances could cause 300 million jobs, representing roughly 18% of the global workforce, to be automated in some way.", "300 million", &["Goldman Sachs"]),
    ("In fact, Nvidia powers ChatGPT: According to UBS analyst Timothy Arcuri, ChatGPT used 10,000 Nvidia GPUs to train the model.", "10,000", &["UBS", "Timothy Arcuri"]),
    ("“Over the next decade, AI will be a mega-trend, as generative AI transforms 40% of all working hours,” said Paul Daugherty, group chief executive, Accenture Technology.", "40%", &["Paul Daugherty", "Accenture Technology"]),
    ("Generative AI is quickly infiltrating organizations, McKinsey reports", "", &["McKinsey"]),
    // A sentence that credits nobody.
    ("Similarly, the industries that have most rapidly embraced the technology so far are “technology, media and telecom,” at 33%, followed by “financial services” at 24%.", "33%", &[]),
    ("In fact, OpenAI reportedly used 10,000 Nvidia GPUs to train ChatGPT.", "10,000", &[]),
    ("Nvidia holds about 88% of the GPU market, according to John Peddie Research.", "88%", &["John Peddie Research"]),
    // according to
    ("Gradient plans investments in 10 to 15 deals this year, according to CNBC.", "10 to 15", &["CNBC"]),
    ("Looking ahead, AI solutions in healthcare are projected to skyrocket, making the market grow to be worth $188 billion by 2030 according to Statista.", "$188 billion", &["Statista"]),
    ("While people analytics is a new domain for most HR departments, 70% of company executives cite people analytics as a top priority, according to McKinsey.", "70%", &["McKinsey"]),
    ("The open-source framework has seen a 250% increase in active users, according to the company.", "250%", &[]),
    ("There were three exits worth about $22 million, according to Benaich’s data.", "$22 million", &["Benaich"]),
    ("In the same year there were 15,419 new cases of the deadliest skin cancer, melanoma, according to Cancer Research UK.", "15,419", &["Cancer Research UK"]),
    ("But within France, there are now at least 180 AI startups, according to data compiled by the Paris-based venture capital firm ISAI.", "180", &["ISAI"]),
    ("It had about 590m visits in January from 100 million unique visitors, according to analysis by data firm Similarweb.", "590m", &["Similarweb"]),
    ("Translate has improved by at least 1 BLEU point per year since 2010, according to Google, but automatic machine translation is by no means a solved problem.", "1 BLEU point", &["Google"]),
    ("More than 50 vendors have already developed synthetic data solutions, according to research last June by StartUs Insights.", "More than 50", &["StartUs Insights"]),
    ("The market could reach $29 billion by 2026, according to Mordor Intelligence.", "$29 billion", &["Mordor Intelligence"]),
    ("The round brings its total to $5 million, according to CEO Ali Golshan, with a particular focus on expansion into new use cases.", "$5 million", &["Ali Golshan"]),
    ("More than half of business executives plan to implement some form of artificial intelligence within the next 12 months, according to the 2019 State of Intelligent Automation report released today by KPMG International in collaboration with HFS Research.", "More than half", &["State of Intelligent Automation", "KPMG International"]),
    ("Qualcomm's models can hit between 50 TOPS and 200 TOPS, while the PCIe model achieves up to 400 TOPS, according to Qualcomm.", "up to 400 TOPS", &["Qualcomm"]),
    ("At more than 3 million hectares, China has the most greenhouses in the world, according to information compiled by the International Society for Horticulture Science.", "3 million hectares", &["International Society for Horticulture Science"]),
    ("Seventy-one percent opposed the idea of AI making final hiring decisions, according to the Pew report.", "Seventy-one percent", &["Pew"]),
    ("The health care market alone stands to grow by 1 million jobs, according to PwC, while law, accounting, and advertising firms could gain as many as half a million jobs.", "1 million jobs", &["PwC"]),
    ("Use of Chinese-developed open models climbed from 1.2% late last year to nearly 30% in August, according to a report by OpenRouter and Andreessen Horowitz.", "nearly 30%", &["OpenRouter", "Andreessen Horowitz"]),
    ("Chinese-developed open models reached nearly 40 percent of usage in August, according to OpenRouter and Andreessen Horowitz.", "nearly 40 percent", &["OpenRouter", "Andreessen Horowitz"]),
    ("The big picture: almost 70% of AI PhDs went to work in industry in 2020, up from 21% in 2004, according to MIT research published in Science.", "almost 70%", &["MIT"]),
    ("Deepfake fraud attempts have jumped 31-fold this year, a 3,000% rise, according to ID verification firm Onfido.", "3,000%", &["ID", "Onfido"]),
    ("GraphCast is also fast: according to TNW, a 10-day forecast takes it under a minute on a single Google TPU v4 machine.", "10-day", &["TNW"]),
    // Reporting verbs with the subject before them.
    ("A 2020 report from Aaron Allen & Associates predicts that 80% of restaurant jobs could eventually be taken over by robots.", "80%", &["Aaron Allen & Associates"]),
    ("And a 2019 Gartner survey found that 54% of chief information officers view this skills gap as the biggest challenge facing their organization.", "54%", &["Gartner"]),
    ("A December 2019 NIST study of nearly 200 facial recognition systems found that some were 100 times more likely to misidentify Asian-Americans.", "100 times", &["NIST"]),
    ("O’Reilly’s The State of Data Quality In 2020 survey found that over 60% of enterprises see their AI and machine learning projects fail.", "over 60%", &["O’Reilly", "State of Data Quality"]),
    ("A 2020 IDC survey found that automated customer service agents are a top priority for companies with over 5,000 employees.", "over 5,000 employees", &["IDC"]),
    ("Gartner’s 2022 Innovation Insight for Attack Surface Management report predicts that by 2026, 20% of companies will have a high level of visibility.", "20%", &["Gartner", "Innovation Insight for Attack Surface Management"]),
    ("In a 2020 study , MIT researchers found that reducing the error rate on a popular image classification benchmark would require 10 times more compute power.", "10 times", &["MIT"]),
    ("University of Cambridge researchers recently studied 400 COVID-19-related AI models and found that every one of them had fatal flaws.", "400", &[]),
    ("A December 2018 Washington Post article found that about 2% of passengers in the pilot program have given their consent.", "about 2%", &["Washington Post"]),
    ("Freddie Mac analyzed more than 12 million mortgage records between 2015 and 2020 and found that appraisers were twice as likely to value homes below the sale price.", "twice", &[]),
    ("Nadella says Microsoft will introduce more than 100 new products and capabilities at its upcoming Ignite conference.", "more than 100", &["Nadella"]),
    ("Index Ventures' Mike Volpi estimates that such companies need at least $500 million just for raw computing power.", "$500 million", &["Index Ventures", "Mike Volpi"]),
    ("Vox reports that Amazon's initial investment is $1.25 billion, with the option to go to the full amount later.", "$1.25 billion", &["Vox"]),
    ("Citi, for its part, reckons ChatGPT could be worth $3 billion to $11 billion in sales to Nvidia over 12 months.", "$3 billion to $11 billion", &["Citi"]),
    ("Analyst Karl Freund reckons all of Nvidia's rivals combined could win just 10% of the market.", "10%", &["Karl Freund"]),
    ("Analysts estimate Nvidia holds nearly 80% of the GPU market.", "nearly 80%", &[]),
    ("By August, Chinese open models held more than 30 percent of usage, the OpenRouter report found.", "more than 30 percent", &["OpenRouter"]),
    ("Jefferies analysts cited by Bloomberg found that the combined capital spending of Chinese tech giants from 2023 to 2025 was 82% lower than that of their US peers.", "82%", &["Jefferies", "Bloomberg"]),
    ("Companies surveyed by IDC say their AI investments pay back 3.5 times over on average, a 250% return.", "250%", &["IDC"]),
    ("A third of Fortune 100 companies now run DGX AI supercomputers, Huang said.", "A third", &["Huang"]),
    ("Amazon will invest up to $4 billion in Anthropic, the companies said on Monday.", "up to $4 billion", &[]),
    ("Last week, supercomputer analysis group TOP500 released its Green500 ranking, which found that Shoubu system B was the most efficient AI accelerator with 17.6 gigaflops per watt.", "", &[]),
    ("Fifty-five percent of cybersecurity professionals estimate that more than 75% of endpoint attacks can’t be stopped, based on a survey by Tanium.", "more than 75%", &["Tanium"]),
    ("The Writer survey, conducted by Pollfish, polled 450 enterprise executives.", "450", &["Pollfish"]),
    // `pointed out`, a verb of two words (issue 14 item 4).
    ("A Bloomberg article published Tuesday pointed out that Nvidia shipped 500,000 H100 GPUs in the third quarter.", "500,000", &["Bloomberg"]),
    ("As Reuters points out, the chip costs $40,000.", "$40,000", &["Reuters"]),
    ("The chip costs $40,000, Gartner analyst Alan Priestley pointed out.", "$40,000", &["Gartner", "Alan Priestley"]),
    ("He pointed to the 40% rise in the stock.", "40%", &[]),
    ("Sales fell 8%, out of line with the market.", "8%", &[]),
    // Chains: either may be credited.
    ("Reuters, citing IDC, reported that shipments fell 12% in the quarter.", "12%", &["Reuters", "IDC"]),
    ("Shipments fell 12% in the quarter, Reuters reported, citing data from IDC.", "12%", &["Reuters", "IDC"]),
    ("“IoT attacks made up more than 12% of global malware attacks in 2021, according to IBM,” Srinivas Mukkamala, chief product officer at Ivanti, told VentureBeat.", "more than 12%", &["IBM", "Srinivas Mukkamala", "Ivanti"]),
    // A credit covers its own clause only.
    ("IDC estimated the market at $10 billion, while Gartner put it at $12 billion, a company spokesperson said.", "$10 billion", &["IDC"]),
    ("Revenue rose 20% to $1 billion; the company also said it had 500 employees, Bloomberg reported.", "20%", &[]),
    // Words that look like cues but credit nobody.
    ("The company's share of the market rose to 80% last year.", "80%", &[]),
    ("Nvidia put the price at $30,000 per chip.", "$30,000", &[]),
    ("The figures were reported in the second quarter, when revenue reached $13.5 billion.", "$13.5 billion", &[]),
    ("The model is expected to cost $250 million to train.", "$250 million", &[]),
    ("The estimates range from $10 billion to $20 billion.", "", &[]),
    ("Its reports show 30% growth.", "30%", &[]),
    ("About 75% of respondents said they were worried.", "About 75%", &[]),
    ("In May, IDC said PC shipments fell 29%.", "29%", &["IDC"]),
    ("Google said in a blog post that Gemini scored 90% on the MMLU benchmark.", "90%", &["Google"]),
    // People with titles and affiliations.
    ("Nvidia CEO Jensen Huang said the company shipped 1.5 million GPUs.", "1.5 million", &["Nvidia", "Jensen Huang"]),
    ("Gao Fei, chief technology officer at BOK Health, said the system cut costs by 30%.", "30%", &["Gao Fei", "BOK Health"]),
    ("Senator Dick Durbin (D-IL) said 40 companies had signed on.", "40 companies", &["Dick Durbin"]),
    ("The cost fell 90%, said Mark Barton of the Lufthansa Group.", "90%", &["Mark Barton", "Lufthansa Group"]),
    ("Sales rose 18% last quarter, according to Counterpoint Research analyst Ivan Lam.", "18%", &["Counterpoint Research", "Ivan Lam"]),
    ("Researchers at Stanford University found that 40% of the answers were wrong.", "40%", &["Stanford University"]),
    ("A study by researchers at the University of Pennsylvania found that 80% of US workers could see some tasks affected.", "80%", &["University of Pennsylvania"]),
    ("According to a new report from the International Energy Agency, data centres used 460 terawatt-hours in 2022.", "460 terawatt-hours", &["International Energy Agency"]),
    ("The report, published by Gartner, found that 45% of executives had increased AI investment.", "45%", &["Gartner"]),
    ("Goldman Sachs analysts estimated that generative AI could raise global GDP by 7%.", "7%", &["Goldman Sachs"]),
    ("Microsoft’s own research found that 70% of users said Copilot made them more productive.", "70%", &["Microsoft"]),
    ("Anthropic told the Financial Times it had raised $750 million.", "$750 million", &["Anthropic"]),
    ("By McKinsey's estimate, generative AI could add up to $4.4 trillion a year to the global economy.", "up to $4.4 trillion", &["McKinsey"]),
];

fn credited(sentence: &str, figure: &str) -> Vec<String> {
    let span = Span::new(0, sentence.len());
    let all = credits(sentence, span);
    let chosen: Vec<&Credit> = if figure.is_empty() {
        all.iter().collect()
    } else {
        let at = sentence.find(figure).unwrap_or_else(|| panic!("{figure:?} not in {sentence:?}"));
        credit_for(sentence, &all, Span::new(at, at + figure.len()))
    };
    let mut names: Vec<String> = Vec::new();
    for c in chosen {
        for n in &c.names {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    names
}

#[test]
fn credits_of_real_sentences() {
    let mut failures = Vec::new();
    for (sentence, figure, expected) in ROWS {
        let got = credited(sentence, figure);
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        if got_sorted != want {
            failures.push(format!("{sentence:?} [{figure}]: got {got:?}, want {expected:?}"));
        }
    }
    assert!(ROWS.len() >= 80, "{} rows", ROWS.len());
    assert!(failures.is_empty(), "{} of {} rows differ:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
}

#[test]
fn names_are_matched_by_their_distinctive_words() {
    assert!(name_written("Carnegie Mellon", "researchers at Carnegie Mellon University"));
    assert!(name_written("Goldman", "In a report, Goldman Sachs predicted"));
    assert!(name_written("Timothy Arcuri", "said Arcuri, an analyst"));
    assert!(name_written("McKinsey & Company", "McKinsey’s new report"));
    assert!(name_written("IDC", "International Data Corporation (IDC) said"));
    assert!(name_written("CMU", "Carnegie Mellon University researchers"));
    // Only a generic word in common: another organisation.
    assert!(!name_written("Stanford University", "a University of Pennsylvania study"));
    assert!(!name_written("Financial Times", "The Forbes report also said"));
    // A lower-case word is not the name.
    assert!(!name_written("Apple", "an apple a day"));
    assert!(!name_written("Citi", "the city council"));
}

/// (sentence, figure, names cited for the figure): what [`citations`] adds to [`credits`] (issue
/// 14 item 4), and what it must leave alone.
const CITATION_ROWS: &[Row] = &[
    ("In a Bloomberg article, analysts put Nvidia's share at 80%.", "80%", &["Bloomberg"]),
    ("A Bloomberg article published Tuesday pointed out that Nvidia shipped 500,000 H100 GPUs.", "500,000", &["Bloomberg"]),
    ("Gartner's 2022 report puts the market at $29 billion.", "$29 billion", &["Gartner"]),
    ("IDC analysts cited by Reuters expect shipments to fall 8%.", "8%", &["IDC", "Reuters"]),
    ("Huang told Reuters that the company had shipped 500,000 chips.", "500,000", &["Huang", "Reuters"]),
    ("In an interview with Bloomberg, Huang put the figure at 500,000.", "500,000", &["Bloomberg"]),
    ("By Vox's tally, the company's total haul now comes to at least $2.7 billion.", "$2.7 billion", &["Vox"]),
    ("According to a Bloomberg News article, sales rose 12%.", "12%", &["Bloomberg News"]),
    ("A recent Bloomberg article by Mark Gurman said Apple would ship 10 million headsets.", "10 million", &["Bloomberg", "Mark Gurman"]),
    // No name before the noun, or a noun that cites nothing.
    ("In its latest report, the company said revenue rose 12%.", "12%", &[]),
    ("The article says revenue rose 12%.", "12%", &[]),
    ("Revenue rose 12% in the quarter, while costs fell.", "12%", &[]),
    ("Nvidia's data center revenue rose 12%.", "12%", &[]),
    // A citation covers its own clause only.
    ("A Bloomberg article put sales at 12%, while costs fell 5% in the same period.", "5%", &[]),
];

fn cited(sentence: &str, figure: &str) -> Vec<String> {
    let span = Span::new(0, sentence.len());
    let all = citations(sentence, span);
    let figure_span = if figure.is_empty() { span } else {
        let at = sentence.find(figure).expect("figure in sentence");
        Span::new(at, at + figure.len())
    };
    let mut names: Vec<String> = Vec::new();
    for c in credit_for(sentence, &all, figure_span) {
        for n in &c.names {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
    }
    names
}

#[test]
fn citations_of_sentences() {
    let mut failures = Vec::new();
    for (sentence, figure, expected) in CITATION_ROWS {
        let mut got = cited(sentence, figure);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        if got != want {
            failures.push(format!("{sentence:?} [{figure}]: got {got:?}, want {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows differ:\n{}", failures.len(), CITATION_ROWS.len(), failures.join("\n"));
}
