package smppgw;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules each package's {@code package-info.java} states, checked on the compiled classes: a change that
 * breaks one fails here, naming the class and the dependency.
 */
class ArchitectureTest {
    private static JavaClasses main;

    /** The pure rules: decide and project, nothing else. */
    private static final String[] RULES = {
        "smppgw.journal.Projection", "smppgw.journal.Entry", "smppgw.intake.AcceptRule", "smppgw.policy.FrequencyCap",
        "smppgw.track.Reads", "smppgw.track.Replies", "smppgw.track.PromoCodes", "smppgw.receipt.Correlation",
        "smppgw.receipt.MoAssembly", "smppgw.receipt.ReceiptWindow", "smppgw.dispatch.Release", "smppgw.notify.Notices",
    };

    @BeforeAll
    static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("smppgw");
    }

    private static void check(ArchRule rule) {
        rule.check(main);
    }

    @Test
    void onlyTheStoreTouchesChronicleRocksDbOrNativeCalls() {
        check(noClasses().that().resideOutsideOfPackage("smppgw.store..")
                .should().dependOnClassesThat().resideInAnyPackage("net.openhft..", "org.rocksdb..", "com.sun.jna.."));
        check(noClasses().that().resideOutsideOfPackage("smppgw.store.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka.."));
    }

    @Test
    void theRulesUseOnlyTheModelTheStateAndEachOther() {
        check(classes().that().haveFullyQualifiedName(RULES[0]).or().haveFullyQualifiedName(RULES[1])
                .or().haveFullyQualifiedName(RULES[2]).or().haveFullyQualifiedName(RULES[3]).or().haveFullyQualifiedName(RULES[4])
                .or().haveFullyQualifiedName(RULES[5]).or().haveFullyQualifiedName(RULES[6]).or().haveFullyQualifiedName(RULES[7])
                .or().haveFullyQualifiedName(RULES[8]).or().haveFullyQualifiedName(RULES[9]).or().haveFullyQualifiedName(RULES[10])
                .or().haveFullyQualifiedName(RULES[11])
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "smppgw.model..", "smppgw.state..", "smppgw.journal..",
                        "smppgw.intake..", "smppgw.policy..", "smppgw.track..", "smppgw.receipt..", "smppgw.dispatch..", "smppgw.notify..",
                        "smppgw.text..", "smppgw.route..")
                .andShould().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("not a transport, store or daemon part",
                        c -> !c.getPackageName().startsWith("smppgw.store") && !c.getSimpleName().equals("Dispatcher")
                                && !c.getSimpleName().equals("Intake") && !c.getSimpleName().equals("ReceiptRecorder")
                                && !c.getSimpleName().equals("Webhooks") && !c.getSimpleName().equals("JournalThread"))));
    }

    @Test
    void theModelAndTheStateViewStandAlone() {
        check(noClasses().that().resideInAnyPackage("smppgw.model..", "smppgw.state..")
                .should().dependOnClassesThat().resideInAnyPackage("smppgw.store..", "smppgw.journal..", "smppgw.api..", "smppgw.smpp..",
                        "smppgw.daemon..", "smppgw.config..", "smppgw.intake..", "smppgw.dispatch..", "smppgw.receipt..", "io.netty..",
                        "com.cloudhopper.."));
    }

    @Test
    void theJournalThreadKnowsTheStoreOnlyByItsInterfaces() {
        check(noClasses().that().resideInAPackage("smppgw.journal..").should().dependOnClassesThat().resideInAPackage("smppgw.store.chronicle.."));
    }

    @Test
    void theIntegratorApisAndTheSmscClientNeverKnowEachOther() {
        check(noClasses().that().resideInAPackage("smppgw.api..").should().dependOnClassesThat().resideInAPackage("smppgw.smpp.."));
        check(noClasses().that().resideInAPackage("smppgw.smpp..").should().dependOnClassesThat().resideInAPackage("smppgw.api.."));
    }

    @Test
    void noMainSourceFileOverFourHundredLines() throws Exception {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            java.util.List<String> long_ = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return java.nio.file.Files.readAllLines(p).size() > 400;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Object::toString).toList();
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), long_, "split them: a file is read whole");
        }
    }
}
